"""Small writers for test fixtures: real files, read back by the real readers."""

import datetime as dt
from pathlib import Path

import xlsxwriter


def write_xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list] = ()) -> Path:
    """Write rows per sheet; datetimes become real Excel dates; merges are (r1, c1, r2, c2)."""
    workbook = xlsxwriter.Workbook(path)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, date_format)
                elif value is not None:
                    sheet.write(r, c, value)
        for top, left, bottom, right in dict(merges).get(name, []):
            sheet.merge_range(top, left, bottom, right, rows[top][left])
    workbook.close()
    return path
