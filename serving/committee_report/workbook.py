"""The report as an Excel workbook: a sheet per table, Thai headers over English ones, frozen
header rows, number formats and column widths. Numbers stay numbers (Excel sums them); every
text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is written
neutralised by the project's one rule (``serving.formulas``), and xlsxwriter is told never to
turn a string into a formula, a number or a link."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from serving.committee_report.tables import EXCEL_FORMATS, Report, Table
from serving.committee_report.thai import SUPPRESSED, thai_date, thai_datetime
from serving.formulas import neutralise_formula

ABOUT_SHEET = "รายงาน"
HEADER_ROWS = 3  # the title, the Thai headers, the English headers
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def _text(value: str) -> str:
    return neutralise_formula(value)


def _write_cell(sheet, row: int, col: int, kind: str, value, formats: dict) -> None:
    if value is None:
        if kind == "suppressible":
            sheet.write_string(row, col, SUPPRESSED, formats["text"])
        else:
            sheet.write_blank(row, col, None, formats[kind])
    elif kind == "date":
        moment = value if isinstance(value, datetime) else datetime.combine(value, time())
        sheet.write_datetime(row, col, moment, formats["date"])
    elif kind == "text" or isinstance(value, str):
        sheet.write_string(row, col, _text(str(value)), formats["text"])
    else:
        number = float(value) if isinstance(value, Decimal) else value
        sheet.write_number(row, col, number, formats[kind])


def _write_table(workbook, table: Table, formats: dict) -> None:
    sheet = workbook.add_worksheet(table.sheet)
    sheet.write_string(0, 0, _text(f"{table.th} ({table.en})"), formats["title"])
    for col, column in enumerate(table.columns):
        sheet.write_string(1, col, _text(column.th), formats["header"])
        sheet.write_string(2, col, _text(column.en), formats["header_en"])
        sheet.set_column(col, col, column.width)
    rows = [*table.rows, *([table.total] if table.total else [])]
    for offset, row in enumerate(rows):
        for col, column in enumerate(table.columns):
            kind = column.kind_for(row)
            _write_cell(sheet, HEADER_ROWS + offset, col, kind, row.get(column.key), formats)
    if table.note:
        sheet.write_string(HEADER_ROWS + len(rows) + 1, 0, _text(table.note), formats["note"])
    sheet.freeze_panes(HEADER_ROWS, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1, 2)


def _write_about(workbook, report: Report, formats: dict) -> None:
    sheet = workbook.add_worksheet(ABOUT_SHEET)
    meta = report.meta
    lines = [
        ("รายงานความก้าวหน้าการขยายผลโครงการร้อยใจรักษ์", "Roi Jai Rak expansion: progress report"),
        ("ข้อมูล ณ วันที่ (data as of)", thai_date(meta.as_of)),
        ("เผยแพร่ (published)", thai_datetime(datetime.fromisoformat(meta.published_at))),
        ("pipeline run", meta.pipeline_run_id),
    ]
    for section in report.sections:
        lines += [("", paragraph) for paragraph in section.paragraphs]
    lines.append(("แผ่นงาน (sheets)", ", ".join(table.sheet for table in report.tables())))
    for row, (label, value) in enumerate(lines):
        sheet.write_string(row, 0, _text(label), formats["header"] if label else formats["text"])
        sheet.write_string(row, 1, _text(value), formats["text"])
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 120)


def write_workbook(report: Report, path: Path) -> Path:
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    workbook.set_properties({"title": "Roi Jai Rak committee report"})
    formats = {
        kind: workbook.add_format({"num_format": fmt}) for kind, fmt in EXCEL_FORMATS.items()
    }
    formats["title"] = workbook.add_format({"bold": True, "font_size": 13})
    formats["header"] = workbook.add_format(
        {"bold": True, "bg_color": "#EEF2F6", "border": 1, "text_wrap": True, "valign": "top"}
    )
    formats["header_en"] = workbook.add_format(
        {
            "italic": True,
            "bg_color": "#EEF2F6",
            "border": 1,
            "text_wrap": True,
            "font_color": "#5B6673",
        }
    )
    formats["note"] = workbook.add_format({"italic": True, "font_color": "#5B6673"})
    _write_about(workbook, report, formats)
    for table in report.tables():
        _write_table(workbook, table, formats)
    workbook.close()
    return path
