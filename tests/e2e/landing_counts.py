"""An independent count of a landing file's non-blank rows per sheet, for reconciliation
tests: read with the libraries directly, not with the pipeline's readers."""

import csv
import io
from pathlib import Path

import python_calamine


def non_blank_rows_per_sheet(path: Path) -> dict[str, int]:
    """Sheet (a CSV's is its file stem) -> rows with at least one non-blank cell.
    ValueError for a file that cannot be read."""
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp874")
        first_line = text.splitlines()[0] if text else ""
        delimiter = max(",;\t|", key=first_line.count)
        rows = csv.reader(io.StringIO(text), delimiter=delimiter)
        return {path.stem: sum(1 for row in rows if any(cell.strip() for cell in row))}
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as error:
        raise ValueError(f"{path.name}: unreadable ({type(error).__name__})") from None
    counts = {}
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        counts[name] = sum(1 for row in rows if any(str(cell).strip() for cell in row))
    return counts
