"""What the committee report is made of: sections of tables (and charts), each table with
its columns' Thai and English labels and the kind of figure each holds. The HTML, the PDF
and the workbook are drawn from the same tables, so they hold the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from serving.committee_report.thai import (
    NO_VALUE,
    suppressed_count,
    thai_change,
    thai_date,
    thai_number,
    thai_percent,
    thai_points,
)

# The kinds of figure a column holds: how the page writes it, and Excel's number format.
PAGE_FORMATS = {
    "text": lambda value: NO_VALUE if value is None else str(value),
    "year": lambda value: NO_VALUE if value is None else str(value),  # 2563, not 2,563
    "count": thai_number,
    "money": lambda value: thai_number(value, 2),
    "share": thai_percent,
    "change_count": thai_change,
    "change_money": lambda value: thai_change(value, 2),
    "change_points": thai_points,
    "date": lambda value: thai_date(value, short=True),
    "suppressible": suppressed_count,  # None: hidden by small-cell suppression
}
EXCEL_FORMATS = {
    "text": "@",
    "year": "0",
    "count": "#,##0",
    "money": "#,##0.00",
    "share": "0.0%",
    "change_count": "+#,##0;-#,##0;0",
    "change_money": "+#,##0.00;-#,##0.00;0.00",
    "change_points": "+0.0%;-0.0%;0.0%",
    # Thai language (041E), Buddhist calendar (07), Arabic digits (01): 7 ธ.ค. 2569
    "date": "[$-107041E]d mmm yyyy",
    "suppressible": "#,##0",
}
NUMERIC_KINDS = frozenset(EXCEL_FORMATS) - {"text", "date"}  # right-aligned on the page
MAX_SHEET_NAME = 31
CHANGE_KINDS = {"count": "change_count", "money": "change_money", "share": "change_points"}
# Columns of the figures compared with the previous report, whose rows differ in kind: each
# row names its own ("kind"), and its change is shown in the matching change kind.
BY_ROW = "by_row"
CHANGE_BY_ROW = "change_by_row"


@dataclass(frozen=True)
class Column:
    key: str
    th: str
    en: str
    kind: str = "text"
    width: int = 14  # characters, in the workbook

    def __post_init__(self) -> None:
        if self.kind not in PAGE_FORMATS and self.kind not in (BY_ROW, CHANGE_BY_ROW):
            raise ValueError(f"column {self.key}: unknown kind {self.kind!r}")

    def kind_for(self, row: dict) -> str:
        if self.kind == BY_ROW:
            return row["kind"]
        if self.kind == CHANGE_BY_ROW:
            return CHANGE_KINDS[row["kind"]]
        return self.kind

    def shown(self, row: dict) -> str:
        return PAGE_FORMATS[self.kind_for(row)](row.get(self.key))


@dataclass(frozen=True)
class Table:
    """Rows of figures; ``row_key`` names the columns that identify a row (on the page each
    row carries them as ``data-row``), ``total`` is an optional last row."""

    key: str
    sheet: str  # the workbook's sheet name (Excel allows 31 characters)
    th: str
    en: str
    columns: tuple[Column, ...]
    rows: list[dict]
    row_key: tuple[str, ...]
    total: dict | None = None
    note: str | None = None  # one line under the table, Thai first

    def __post_init__(self) -> None:
        if not 0 < len(self.sheet) <= MAX_SHEET_NAME or set(self.sheet) & set("[]:*?/\\"):
            raise ValueError(f"table {self.key}: {self.sheet!r} cannot name a sheet")

    def row_id(self, row: dict) -> str:
        return "-".join("" if row[key] is None else str(row[key]) for key in self.row_key)


@dataclass(frozen=True)
class Section:
    key: str
    th: str
    en: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[str, ...] = ()  # inline SVG documents
    notes: tuple[str, ...] = ()  # shown under the tables


@dataclass(frozen=True)
class ReportMeta:
    as_of: date  # the evaluation date: what the figures are judged as of
    published_at: str  # ISO, UTC, from the manifest
    pipeline_run_id: str
    complete: bool  # no report due is missing
    suppression_k: int


@dataclass
class Report:
    meta: ReportMeta
    sections: list[Section] = field(default_factory=list)
    figures: dict[str, dict] = field(default_factory=dict)  # key -> {th, en, kind, value}

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]
