"""What changed since the previous report: each report keeps its key figures beside it
(``figures.json``), and the next one compares its own with those of the newest report of an
earlier date in the same folder."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from serving.committee_report.tables import BY_ROW, CHANGE_BY_ROW, Column, Report, Table
from serving.committee_report.thai import thai_date

FIGURES_FILE = "figures.json"
# The figures compared: (table, the rows to take, the columns to take).
KEY_FIGURES = (
    ("targets", lambda row: True, ("actual",)),
    (
        "progress",
        lambda row: row["province_code"] is None,
        (
            "share_villages_surveyed",
            "share_villages_with_plan",
            "share_villages_with_funded_project",
        ),
    ),
    ("village_status", lambda row: row["phase"] is None, ("red", "amber", "green")),
    (
        "completeness",
        lambda row: row["province_code"] is None,
        ("reporting_rate", "reports_missing"),
    ),
    ("income", lambda row: row["phase"] is None, ("latest_income", "latest_below_bmn")),
)
FIGURE_KINDS = {"count": "count", "year": "count", "money": "money", "share": "share"}


def _plain(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def _label(table: Table, row: dict) -> str:
    texts = [col.shown(row) for col in table.columns if col.kind == "text"]
    return " · ".join(text for text in texts if text)


def key_figures(report: Report) -> dict[str, dict]:
    """The report's key figures by a stable key: table/row/column -> label, kind, value."""
    tables = {table.key: table for table in report.tables()}
    figures = {}
    for key, wanted, columns in KEY_FIGURES:
        table = tables[key]
        for row in filter(wanted, table.rows):
            for column in (col for col in table.columns if col.key in columns):
                figures[f"{key}/{table.row_id(row)}/{column.key}"] = {
                    "th": f"{_label(table, row)} · {column.th}",
                    "en": column.en,
                    "kind": FIGURE_KINDS[column.kind],
                    "value": _plain(row[column.key]),
                }
    for table in report.tables():
        if table.total is not None and table.key == "budget_by_year":
            for column in table.columns[1:]:
                figures[f"{table.key}/total/{column.key}"] = {
                    "th": f"งบประมาณรวม · {column.th}",
                    "en": f"budget, {column.en}",
                    "kind": FIGURE_KINDS[column.kind],
                    "value": _plain(table.total[column.key]),
                }
    return figures


def write_figures(folder: Path, report: Report) -> Path:
    path = folder / FIGURES_FILE
    document = {
        "as_of": report.meta.as_of.isoformat(),
        "published_at": report.meta.published_at,
        "pipeline_run_id": report.meta.pipeline_run_id,
        "figures": report.figures,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def previous_figures(reports_root: Path, as_of: date) -> tuple[date, dict] | None:
    """The key figures of the newest report dated before ``as_of`` in ``reports_root`` (one
    folder per date, ``YYYY-MM-DD``), or None when there is none."""
    earlier = []
    for folder in reports_root.glob("*/" + FIGURES_FILE):
        try:
            day = date.fromisoformat(folder.parent.name)
        except ValueError:
            continue  # not a report's folder
        if day < as_of:
            earlier.append((day, folder))
    if not earlier:
        return None
    day, path = max(earlier)
    return day, json.loads(path.read_text(encoding="utf-8"))["figures"]


def changes_table(current: dict[str, dict], previous: tuple[date, dict] | None) -> Table:
    """Every key figure now, before and the change; a figure the previous report did not
    have shows no previous value."""
    before = previous[1] if previous else {}
    rows = []
    for key, figure in current.items():
        old = before.get(key, {}).get("value")
        now = figure["value"]
        rows.append(
            {
                "key": key,
                "figure": f"{figure['th']} ({figure['en']})",
                "kind": figure["kind"],
                "previous": old,
                "current": now,
                "change": now - old if now is not None and old is not None else None,
            }
        )
    since = f"{thai_date(previous[0])}" if previous else None
    return Table(
        key="changes",
        sheet="การเปลี่ยนแปลง",
        th="สิ่งที่เปลี่ยนแปลงจากรายงานครั้งก่อน",
        en="What changed since the previous report",
        columns=(
            Column("figure", "ตัวชี้วัด", "figure", width=60),
            Column("previous", "รายงานครั้งก่อน", "previous report", BY_ROW, 18),
            Column("current", "รายงานนี้", "this report", BY_ROW, 18),
            Column("change", "เปลี่ยนแปลง", "change", CHANGE_BY_ROW, 16),
        ),
        rows=rows,
        row_key=("key",),
        note=(
            f"เทียบกับรายงานข้อมูล ณ วันที่ {since} / compared with the report as of that date"
            if previous
            else "ไม่มีรายงานฉบับก่อนหน้า: นี่คือรายงานฉบับแรก / no earlier report: this is the first"
        ),
    )
