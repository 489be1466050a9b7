"""Readers: turn a landing file into sheets of text cells, whatever its format.

Every cell comes back as text (or None when empty) so that the normalizers, not the file
format, decide what a value means. Row numbers are the ones a person sees in Excel or in a
text editor (1-based), so errors can point at them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import python_calamine

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
CSV_ENCODINGS = ("utf-8-sig", "cp874")  # cp874 is a superset of TIS-620


class UnreadableFileError(Exception):
    """A landing file that cannot be read at all (corrupt, encrypted, empty, unknown type)."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[str | None]]
    first_row_number: int = 1  # the 1-based row number of rows[0]

    def row_number(self, index: int) -> int:
        return self.first_row_number + index


def read_sheets(path: Path) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        sheets = _read_workbook(path)
    elif suffix in CSV_SUFFIXES:
        sheets = [_read_csv(path)]
    else:
        raise UnreadableFileError(path, f"unknown file type {suffix!r}")
    if not any(any(cell is not None for cell in row) for s in sheets for row in s.rows):
        raise UnreadableFileError(path, "the file holds no data")
    return sheets


def cell_text(value: object) -> str | None:
    """A cell as text: whole floats without '.0', dates in ISO form, blanks as None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _read_workbook(path: Path) -> list[Sheet]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            sheets.append(_sheet_from_calamine(sheet))
        return sheets
    except python_calamine.PasswordError:
        raise UnreadableFileError(path, "the workbook is password-protected") from None
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        raise UnreadableFileError(path, f"not a readable workbook ({error})") from None


def _sheet_from_calamine(sheet: python_calamine.CalamineSheet) -> Sheet:
    rows = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    _fill_merged_cells(rows, sheet.merged_cell_ranges or [])
    return Sheet(sheet.name, rows, first_row_number=1)


def _fill_merged_cells(rows: list[list[str | None]], ranges) -> None:
    """Give every cell of a merged range the value of its top-left cell, as a reader sees it."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value


def decode_text(raw: bytes, path: Path) -> str:
    """Decode a text file: UTF-8 (with or without BOM) first, then Windows-874 / TIS-620."""
    for encoding in CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError(path, "text is neither UTF-8 nor Windows-874 (TIS-620)")


def _read_csv(path: Path) -> Sheet:
    text = decode_text(path.read_bytes(), path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    return Sheet(path.stem, rows, first_row_number=1)
