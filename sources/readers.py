"""Readers: turn a landing file into sheets of text cells, whatever its format.

Every cell is text (or None when empty) so that the normalizers, not the file format, decide
what a value means. A sheet shows its first rows to the header detection (``head``) and then
stages its data rows in DuckDB as a view of text columns ``c0..cN`` plus ``_row_number``, the
row a person sees in Excel or a text editor (1-based), so every error can point at it. The
view reads a temporary table ``<name>_cells``; ``unstage`` drops both.

CSV files are staged by DuckDB's own reader (set-wise, fast); workbooks through
python-calamine, with merged cells filled the way a person reads them.

A file past a limit of ``sources.settings.FileLimits`` (size, unpacked size, columns, a cell's
length) is refused with an error naming the limit, and where it was passed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import python_calamine

from sources.settings import FileLimits, file_limits

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
CSV_DELIMITERS = (",", ";", "\t", "|")  # in order of preference when equally good
# The first rows of a sheet that the header search sees: the rows it looks for a header in
# and the rows below one it takes as evidence (sources.layout.HEAD_ROWS + SAMPLE_ROWS, and more).
HEAD_LINES = 80
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}
# Office Open XML workbooks, whose sheets python-calamine reads with error cells as blanks
# (python-calamine#105): their sheet XML is scanned for them (``_error_cells``).
OPEN_XML_SUFFIXES = {".xlsx", ".xlsm"}
XML_BLOCK_BYTES = 1 << 24  # of a sheet's XML, scanned block by block
MB = 1_000_000
# DuckDB's CSV reader refuses a longer line; such a file is read by Python's reader.
DUCKDB_MAX_LINE_BYTES = 2_097_152
# Python's csv module refuses a field over 128 KB without saying where: the cell limit
# (ROIJAI_MAX_CELL_CHARS), which names the row and column, is the rule instead.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class UnreadableFileError(Exception):
    """A landing file that cannot be read at all (corrupt, encrypted, empty, unknown type)."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


def column_names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


@dataclass
class Sheet:
    """A sheet whose rows are all in memory (workbooks, and CSVs too irregular for DuckDB)."""

    name: str
    rows: list[list[str | None]]
    first_row_number: int = 1  # the 1-based row number of rows[0]

    def head(self) -> list[list[str | None]]:
        return self.rows[:HEAD_LINES]

    def non_blank_rows(self) -> int:
        return sum(1 for row in self.rows if any(cell is not None for cell in row))

    def row_number(self, index: int) -> int:
        return self.first_row_number + index

    def stage(
        self, connection: duckdb.DuckDBPyConnection, table: str, data_start: int, width: int
    ) -> dict[int, str]:
        """Create ``table`` from the rows at index >= data_start, padded or cut to ``width``;
        return its malformed lines (a workbook has none: every row is split into cells)."""
        data = self.rows[data_start:]
        frame = pd.DataFrame(
            {
                name: [row[i] if i < len(row) else None for row in data]
                for i, name in enumerate(column_names(width))
            },
            dtype=object,
        )
        frame["_row_number"] = range(self.row_number(data_start), self.row_number(len(self.rows)))
        connection.register("sheet_rows", frame)
        casts = ", ".join(f"cast({name} as varchar) as {name}" for name in column_names(width))
        connection.execute(
            f"create or replace temp table {table}_cells as "
            f"select {casts}, cast(_row_number as integer) as _row_number from sheet_rows"
        )
        connection.unregister("sheet_rows")
        connection.execute(f"create or replace temp view {table} as select * from {table}_cells")
        return {}


@dataclass
class CsvSheet:
    """A CSV file staged by DuckDB's reader: only its first rows are parsed in Python."""

    name: str
    path: Path  # the landing file
    utf8_path: Path  # the file itself, or a UTF-8 copy of a Windows-874 file
    delimiter: str
    text: TextScan
    work_dir: Path  # for the copy Python's reader writes for DuckDB
    head_rows: list[list[str | None]] = field(default_factory=list)

    def head(self) -> list[list[str | None]]:
        return self.head_rows

    def non_blank_rows(self) -> int:
        with self.utf8_path.open(encoding="utf-8-sig", newline="") as lines:
            records = csv_records(lines, self.delimiter, width=None)
            return sum(1 for _, cells, _ in records if any(c is not None for c in cells))

    def row_number(self, index: int) -> int:
        return index + 1

    def stage(
        self, connection: duckdb.DuckDBPyConnection, table: str, data_start: int, width: int
    ) -> dict[int, str]:
        """Stage the lines from ``data_start`` with DuckDB's reader; a file it reads with
        another numbering of lines, or not at all (a malformed line, mixed line ends, a line
        too long for it), is staged from Python's reader, which quarantines what it cannot
        split."""
        if self.text.longest_line > DUCKDB_MAX_LINE_BYTES:
            return self._stage_from_python(connection, table, data_start, width)
        names = column_names(width)
        columns = "{" + ", ".join(f"'{n}': 'varchar'" for n in names) + "}"
        source = (
            f"read_csv(?, header = false, skip = {data_start}, columns = {columns}, "
            f"delim = ?, quote = '\"', escape = '\"', null_padding = true, "
            f"auto_detect = false, nullstr = '')"
        )
        try:
            connection.execute(
                f"create or replace temp table {table}_cells as select * from {source}",
                [str(self.utf8_path), self.delimiter],
            )
            (records,) = connection.execute(f"select count(*) from {table}_cells").fetchone()
        except (duckdb.InvalidInputException, UnicodeDecodeError):
            # a line DuckDB cannot split (its message, cut mid-character, may not even decode)
            records = None
        except duckdb.Error as error:
            if type(error) is not duckdb.Error:  # a full disk, memory, the parse deadline
                raise
            records = None  # its parallel reader's refusals (quoted newlines and padding)
        # DuckDB keeps the file's order; blank lines are dropped, so count lines to be sure
        # the numbering is exact, and fall back to Python's reader when it would not be.
        if records is None or self.text.lines != data_start + records:
            connection.execute(f"drop table if exists {table}_cells")
            return self._stage_from_python(connection, table, data_start, width)
        connection.execute(
            f"create or replace temp view {table} as "
            f"select *, cast(rowid + {data_start + 1} as integer) as _row_number from {table}_cells"
        )
        self._check_cell_lengths(connection, table, names)
        return {}

    def _stage_from_python(self, connection, table: str, data_start: int, width: int):
        """Stage the file as Python's reader splits it, streamed: every line from
        ``data_start`` (blank ones too, and the lines a multi-line cell takes) is written with
        its number to a regular CSV copy that DuckDB then reads; a malformed line is staged
        blank and returned (row number -> reason)."""
        copy = self.work_dir / f"{table}.lines.csv"
        malformed: dict[int, str] = {}
        limit = file_limits().max_cell_chars
        with (
            self.utf8_path.open(encoding="utf-8-sig", newline="") as lines,
            copy.open("w", encoding="utf-8", newline="") as target,
        ):
            writer = csv.writer(target)
            for number, cells, problem in csv_records(lines, self.delimiter, width):
                if number <= data_start:
                    continue
                if problem is not None:
                    malformed[number] = problem
                _refuse_long_cells(self.path, self.name, [(number, cells)], limit)
                writer.writerow([number, *cells[:width], *[None] * (width - len(cells))])
        columns = ", ".join(f"'{n}': 'varchar'" for n in column_names(width))
        connection.execute(
            f"create or replace temp table {table}_cells as select {', '.join(column_names(width))}"
            f", _row_number from read_csv(?, header = false, delim = ',', quote = '\"', "
            f"escape = '\"', columns = {{'_row_number': 'integer', {columns}}}, "
            f"auto_detect = false, nullstr = '', max_line_size = ?)",
            [str(copy), max(DUCKDB_MAX_LINE_BYTES, 4 * (limit + 3) * (width + 1))],
        )
        copy.unlink()
        connection.execute(f"create or replace temp view {table} as select * from {table}_cells")
        return malformed

    def _check_cell_lengths(self, connection, table: str, names: list[str]) -> None:
        """Refuse the first cell longer than the limit: one aggregate per column, of bytes
        (cheaper than characters, and never fewer), then the characters where it matters."""
        limit = file_limits().max_cell_chars
        longest = connection.execute(
            f"select {', '.join(f'max(strlen({n}))' for n in names)} from {table}"
        ).fetchone()
        for position, (name, size) in enumerate(zip(names, longest, strict=True)):
            if size is None or size <= limit:
                continue
            first = connection.execute(
                f"select _row_number, length({name}) from {table} "
                f"where length({name}) > {limit} order by _row_number limit 1"
            ).fetchone()
            if first is not None:
                raise _long_cell(self.path, self.name, first[0], position, first[1])


def unstage(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """Drop what ``stage`` made."""
    connection.execute(f"drop view if exists {table}")
    connection.execute(f"drop table if exists {table}_cells")


def read_sheets(path: Path, work_dir: Path | None = None) -> list[Sheet | CsvSheet]:
    """The sheets of a landing file. ``work_dir`` holds UTF-8 copies of Windows-874 files."""
    limits = file_limits()
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        _refuse_large(path, limits, "max_workbook_mb")
        sheets = _read_workbook(path, limits)
    elif suffix in CSV_SUFFIXES:
        _refuse_large(path, limits, "max_csv_mb")
        sheets = [_read_csv(path, work_dir or Path(tempfile.gettempdir()))]
    else:
        raise UnreadableFileError(path, f"unknown file type {suffix!r}")
    for sheet in sheets:  # a CSV's other rows are checked as they are staged
        rows = sheet.rows if isinstance(sheet, Sheet) else sheet.head()
        _refuse_wide(path, sheet.name, rows, limits)
        numbered = ((sheet.row_number(index), row) for index, row in enumerate(rows))
        _refuse_long_cells(path, sheet.name, numbered, limits.max_cell_chars)
    if not any(any(cell is not None for cell in row) for s in sheets for row in s.head()):
        raise UnreadableFileError(path, "the file holds no data")
    return sheets


def cell_text(value: object) -> str | None:
    """A cell as text: whole floats without '.0', dates in ISO form, blanks as None."""
    if type(value) is str:  # the common case first
        return value.strip() or None
    if value is None:
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


def _refuse_large(path: Path, limits: FileLimits, limit: str) -> None:
    size = path.stat().st_size
    if size > getattr(limits, limit) * MB:
        raise UnreadableFileError(
            path, f"{size / MB:,.1f} MB, more than {limits.setting(limit)}: refused unread"
        )


def _refuse_zip_bombs(path: Path, limits: FileLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # not a zip after all: the reader says what it is
    ratio = unpacked / max(path.stat().st_size, 1)
    if unpacked > limits.max_unpacked_mb * MB or ratio > limits.max_unpack_ratio:
        raise UnreadableFileError(
            path,
            f"the workbook unpacks to {unpacked / MB:,.0f} MB, {ratio:,.0f} times its size "
            f"(at most {limits.setting('max_unpacked_mb')} and "
            f"{limits.setting('max_unpack_ratio')} times): refused unread",
        )


def _refuse_wide(path: Path, sheet: str, rows: list[list[str | None]], limits: FileLimits):
    """Refuse a sheet wider than the limit before its header is searched for."""
    width = max(map(len, rows), default=0)
    if width > limits.max_columns:
        raise UnreadableFileError(
            path, f"sheet {sheet!r}: {width:,} columns, more than {limits.setting('max_columns')}"
        )


def _refuse_long_cells(path: Path, sheet: str, numbered_rows, limit: int) -> None:
    """Refuse the first cell longer than ``limit``: ``numbered_rows`` are (the row as a person
    sees it, its cells)."""
    for number, row in numbered_rows:
        if max(map(len, filter(None, row)), default=0) > limit:
            position, cell = next((p, c) for p, c in enumerate(row) if c and len(c) > limit)
            raise _long_cell(path, sheet, number, position, len(cell))


def _long_cell(path: Path, sheet: str, row: int, position: int, length: int):
    return UnreadableFileError(
        path,
        f"sheet {sheet!r} row {row} column {position + 1}: a cell of {length:,} characters, "
        f"more than {file_limits().setting('max_cell_chars')}",
    )


def _read_workbook(path: Path, limits: FileLimits) -> list[Sheet]:
    if path.suffix.lower() in ZIP_SUFFIXES:
        _refuse_zip_bombs(path, limits)
    scans = _scan_sheets(path) if path.suffix.lower() in OPEN_XML_SUFFIXES else {}
    for name, scan in scans.items():
        if scan.rows * scan.columns > limits.max_sheet_cells:
            raise UnreadableFileError(
                path,
                f"sheet {name!r} spans {scan.rows:,} rows by {scan.columns:,} columns from A1, "
                f"more than {limits.setting('max_sheet_cells')} cells: refused unread",
            )
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        return [
            _sheet_from_calamine(
                workbook.get_sheet_by_name(name), scans[name].error_cells if name in scans else []
            )
            for name in workbook.sheet_names
        ]
    except python_calamine.PasswordError:
        raise UnreadableFileError(path, "the workbook is password-protected") from None
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        # the reader's message may quote cells of a damaged sheet: only its kind is kept
        raise UnreadableFileError(
            path, f"not a readable workbook ({type(error).__name__})"
        ) from None


def _sheet_from_calamine(sheet: python_calamine.CalamineSheet, error_cells) -> Sheet:
    rows = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    for row, column, error in error_cells:  # what the sheet shows, where the reader saw blank
        while len(rows) <= row:
            rows.append([])
        rows[row].extend([None] * (column + 1 - len(rows[row])))
        rows[row][column] = error
    _fill_merged_cells(rows, sheet.merged_cell_ranges or [])
    return Sheet(sheet.name, rows, first_row_number=1)


_ERROR_CELL = re.compile(rb'<c\b([^>]*?)\bt="e"([^>]*)>(.*?)</c>', re.DOTALL)
_CELL_REFERENCE = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]+)')
_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')
_CELL_VALUE = re.compile(rb"<v>([^<]*)</v>")


@dataclass
class SheetScan:
    """What the sheet XML of a workbook says before the reader loads it: how far its cells
    reach (the reader holds a grid from A1 to the last one), and its cells whose formula failed
    as (row, column, error value), 0-based: the reader shows those blank."""

    rows: int = 0
    columns: int = 0
    error_cells: list[tuple[int, int, str]] = field(default_factory=list)


def _scan_sheets(path: Path) -> dict[str, SheetScan]:
    """Per sheet name, its scan, from the sheet XML read in blocks (never whole)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            return {
                sheet: _scan_sheet(archive, member)
                for sheet, member in _sheet_members(archive)
                if member in names
            }
    except zipfile.BadZipFile:
        return {}  # not a zip after all: the reader says what it is


def _sheet_members(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member of its XML), from the workbook part and its relationships."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return []  # not laid out as usual: the reader says what it makes of it
    targets = {r.get("Id"): r.get("Target", "") for r in relationships.iterfind("{*}Relationship")}
    members = []
    for sheet in workbook.iterfind(".//{*}sheet"):
        relation = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(relation, "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        members.append((sheet.get("name", ""), member))
    return members


def _scan_sheet(archive: zipfile.ZipFile, member: str) -> SheetScan:
    scan = SheetScan()
    carry = b""
    with archive.open(member) as handle:
        for block in iter(lambda: handle.read(XML_BLOCK_BYTES), b""):
            text = carry + block
            end = text.rfind(b"</row>")  # scan whole rows, keep the rest for the next block
            if end == -1:
                carry = text
                continue
            text, carry = text[: end + len(b"</row>")], text[end + len(b"</row>") :]
            rows = _ROW_NUMBER.findall(text[text.rfind(b"<row ") :])
            scan.rows = max([scan.rows, *map(int, rows)])
            letters = set(_CELL_COLUMN.findall(text))
            if letters:
                scan.columns = max(scan.columns, max(map(_column_number, letters)))
            if b't="e"' in text:
                scan.error_cells += _error_cells(text)
    return scan


def _error_cells(text: bytes) -> list[tuple[int, int, str]]:
    cells = []
    for match in _ERROR_CELL.finditer(text):
        reference = _CELL_REFERENCE.search(match.group(1) + b" " + match.group(2))
        value = _CELL_VALUE.search(match.group(3))
        if reference is None or value is None:
            continue  # a cell without its place or value: nothing to show
        letters, row = reference.groups()
        error = value.group(1).decode("utf-8", "replace")
        cells.append((int(row) - 1, _column_number(letters) - 1, error))
    return cells


def _column_number(letters: bytes) -> int:
    """A column's letters as its number: A is 1, Z 26, AA 27."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _fill_merged_cells(rows: list[list[str | None]], ranges) -> None:
    """Give every cell of a merged range the value of its top-left cell, as a reader sees it."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value


@dataclass(frozen=True)
class TextScan:
    encoding: str
    lines: int  # physical lines, to check DuckDB's row numbering against
    longest_line: int  # in bytes


def scan_text(path: Path) -> TextScan:
    """The encoding of a text file, its physical lines and its longest, in one pass over its
    bytes.

    UTF-8 (with or without BOM) if the whole file decodes as such, else Windows-874. Read in
    blocks, so a large file is never held in memory as text. A last line without a newline
    counts; Windows-874 and UTF-8 have the same newline byte, so the count holds for a copy."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding, lines, last = "utf-8-sig", 0, b"\n"
    longest, current = 0, 0  # current: the bytes of the line the last block ended in
    for block in _blocks(path):
        lines += block.count(b"\n")
        last = block[-1:]
        first, *others = block.split(b"\n")
        current += len(first)
        if others:
            longest = max(longest, current, *map(len, others[:-1]))
            current = len(others[-1])
        if encoding == "utf-8-sig":
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                encoding = "cp874"
    if encoding == "utf-8-sig":
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "cp874"
    return TextScan(encoding, lines + (last != b"\n"), max(longest, current))


def _blocks(path: Path, size: int = 1 << 24):
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(size), b"")


def _read_csv(path: Path, work_dir: Path) -> CsvSheet:
    text = scan_text(path)
    encoding = text.encoding
    utf8_path = path  # DuckDB reads UTF-8 with or without a BOM itself
    if encoding != "utf-8-sig":
        utf8_path = work_dir / f"{path.stem}.utf8.csv"
        try:
            with (
                path.open(encoding=encoding, newline="") as source,
                utf8_path.open("w", encoding="utf-8", newline="") as target,
            ):
                shutil.copyfileobj(source, target, 1 << 22)
        except UnicodeDecodeError:
            raise UnreadableFileError(
                path, "text is neither UTF-8 nor Windows-874 (TIS-620)"
            ) from None
    with utf8_path.open(encoding="utf-8-sig", newline="") as handle:
        head_lines = list(itertools.islice(handle, HEAD_LINES))
    delimiter = _detect_delimiter(head_lines)
    head, _ = csv_rows(head_lines, delimiter, width=None)
    return CsvSheet(path.stem, path, utf8_path, delimiter, text, work_dir, head)


def _detect_delimiter(head_lines: list[str]) -> str:
    """The delimiter that splits most of the first lines into the same number of fields.

    (csv.Sniffer is misled by title lines above the header.)"""

    def agreeing_rows(delimiter: str) -> int:
        rows, _ = csv_rows(head_lines, delimiter, width=None)
        widths = [len(row) for row in rows if len(row) > 1]
        return max((widths.count(w) for w in set(widths)), default=0)

    return max(CSV_DELIMITERS, key=agreeing_rows)


def csv_rows(
    lines: list[str], delimiter: str, width: int | None
) -> tuple[list[list[str | None]], dict[int, str]]:
    """``csv_records`` as a list of rows (one per line) and the malformed lines by number."""
    rows, malformed = [], {}
    for number, cells, problem in csv_records(lines, delimiter, width):
        rows.append(cells)
        if problem is not None:
            malformed[number] = problem
    return rows, malformed


def csv_records(lines: Iterable[str], delimiter: str, width: int | None):
    """(line number, cells, problem) for every physical line, as Python's csv reader splits
    them: a record over several lines gives its cells on its first line and none on the others.
    A line is malformed (no cells, and its problem) when it holds more cells than the header's
    ``width``, or when a quote it opens runs on into a line that is a whole row of its own: a
    stray quote, which would otherwise swallow the rows below it. Reading resumes on the line
    after a malformed one, so one bad line costs one row. Streamed: a line is held only while
    its record is read."""
    source = _PushBack(lines)
    number = 1  # of the line the next record begins on
    while True:
        feed = _RecordLines(source, delimiter, width)
        try:
            for record in csv.reader(feed, delimiter=delimiter):
                if extra := _extra_cells(record, width):
                    raise _MalformedLine(extra)
                yield number, [cell_text(v) for v in record], None
                for following in range(1, len(feed.taken)):
                    yield number + following, [], None
                number += len(feed.taken)
                feed.taken = []
            return
        except _MalformedLine as error:
            problem = str(error)
        except csv.Error as error:  # Python's messages say what, never quote the line
            problem = f"not a well-formed CSV line ({error})"
        yield number, [], problem
        source.push_back(feed.taken[1:])  # read again: they may be rows of their own
        number += 1


class _PushBack:
    """Lines, some of which can be handed back to be read again."""

    def __init__(self, lines: Iterable[str]):
        self.lines = iter(lines)
        self.back: list[str] = []

    def __next__(self) -> str:
        return self.back.pop() if self.back else next(self.lines)

    def push_back(self, lines: list[str]) -> None:
        self.back.extend(reversed(lines))


class _MalformedLine(Exception):
    pass


class _RecordLines:
    """The lines as the csv reader takes them (``taken``: those of the record being read),
    stopping a record that runs on into a line that is a whole row of its own (``width``
    cells or more): that line is handed back, to be read as the row it is."""

    def __init__(self, source: _PushBack, delimiter: str, width: int | None):
        self.source, self.delimiter, self.width = source, delimiter, width
        self.taken: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.source)
        if self.taken and self._whole_row(line):
            self.source.push_back([line])
            raise _MalformedLine(
                "a quote opened on this line is not closed: the line cannot be split into cells"
            )
        self.taken.append(line)
        return line

    def _whole_row(self, line: str) -> bool:
        if self.width is None or self.width < 3:
            return False
        return len(next(csv.reader([line], delimiter=self.delimiter), [])) >= self.width


def _extra_cells(record: list[str], width: int | None) -> str | None:
    if width is not None and any(cell.strip() for cell in record[width:]):
        return f"{len(record)} cells in a sheet of {width} columns (a delimiter inside a value?)"
    return None
