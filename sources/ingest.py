"""Turn landing files into warehouse rows according to their source contract.

For each sheet the header row is found below any title block by matching the contract's
header variants; every data row below it is parsed column by column. A row whose value cannot
be understood is rejected with the file, sheet, row and column that failed, never guessed.
Personal identifiers are pseudonymised here, before anything is written; personal columns
(names, phones, addresses) are recognised and not read at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from sources import normalize
from sources.contracts import ColumnContract, SourceContract, TableContract
from sources.pseudonymize import pseudonymize
from sources.readers import Sheet, UnreadableFileError, read_sheets

RAW_SCHEMA = "raw"
HEADER_SEARCH_ROWS = 30
LINEAGE_COLUMNS = {
    "_file_sha256": "varchar",
    "_file_name": "varchar",
    "_sheet": "varchar",
    "_row_number": "integer",
}

PARSERS: dict[str, Callable[[str | None], object]] = {
    "text": normalize.clean_text,
    "code8": lambda value: normalize.normalize_code(value, 8),
    "integer": normalize.parse_integer,
    "number": normalize.parse_number,
    "date": normalize.parse_date,
    "moo": normalize.parse_moo,
    "phase": normalize.parse_phase,
    "fiscal_year": normalize.parse_fiscal_year,
}
PSEUDONYM_TYPES = {"pseudonym", "citizen_id"}
SQL_TYPES = {
    "text": "varchar",
    "code8": "varchar",
    "integer": "bigint",
    "number": "double",
    "date": "date",
    "moo": "integer",
    "phase": "integer",
    "fiscal_year": "integer",
    "pseudonym": "varchar",
    "citizen_id": "varchar",
}
_TOTALS_LABEL = re.compile(r"(รวม|รวมทั้งสิ้น|รวมทั้งหมด|ยอดรวม|total|grand total)\s*:?", re.I)


def validity_column(column: ColumnContract) -> str:
    """The flag column stored beside a pseudonymised citizen ID."""
    return column.name.removesuffix("_hash") + "_is_valid"


def table_sql_columns(table: TableContract) -> dict[str, str]:
    """The warehouse columns of a raw table, with their SQL types."""
    columns: dict[str, str] = {}
    for column in table.columns:
        columns[column.name] = SQL_TYPES[column.type]
        if column.type == "citizen_id":
            columns[validity_column(column)] = "boolean"
    return columns | LINEAGE_COLUMNS


@dataclass(frozen=True)
class RejectedRow:
    file_name: str
    sheet: str
    row_number: int
    column_name: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file_name}, sheet {self.sheet!r}, row {self.row_number}"
        column = f", column {self.column_name!r}" if self.column_name else ""
        return f"{where}{column}: {self.reason}"


@dataclass
class FileResult:
    """What one landing file gave: rows per table, rejected rows, and what was not understood."""

    path: Path
    sha256: str
    rows: dict[str, list[dict]] = field(default_factory=dict)
    rejected: list[RejectedRow] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    totals_rows: int = 0
    error: str | None = None

    @property
    def rows_loaded(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


@dataclass(frozen=True)
class _Layout:
    table: TableContract
    header_index: int
    columns: dict[int, ColumnContract]  # sheet column index -> contract column
    unknown_headers: list[str]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def landing_files(landing_dir: Path, kind: str) -> list[Path]:
    """The files of one source kind, skipping hidden files and Excel lock files (~$...)."""
    folder = landing_dir / kind
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))
    )


def read_landing_file(path: Path, contract: SourceContract, key: bytes) -> FileResult:
    """Read one file against its contract. Never raises for bad content: see ``error``."""
    result = FileResult(path=path, sha256=file_sha256(path))
    try:
        sheets = read_sheets(path)
    except UnreadableFileError as error:
        result.error = str(error)
        return result
    for sheet in sheets:
        layout = _find_layout(sheet, contract)
        if layout is None:
            result.skipped_sheets.append(sheet.name)
            continue
        result.unknown_headers.extend(layout.unknown_headers)
        _read_rows(sheet, layout, result, key)
    if not result.rows and not result.rejected:
        tables = ", ".join(t.table for t in contract.tables)
        result.error = (
            f"{path.name}: no sheet has the header row of a {contract.kind} file "
            f"({tables}); sheets: {', '.join(s.name for s in sheets)}"
        )
    return result


def _find_layout(sheet: Sheet, contract: SourceContract) -> _Layout | None:
    """The table contract and header row that match a sheet best, if any matches at all."""
    best: _Layout | None = None
    best_score = 0
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        for table in contract.tables:
            columns: dict[int, ColumnContract] = {}
            unknown = []
            for position, header in enumerate(row):
                if header is None:
                    continue
                column = table.match_header(header)
                if column is not None and column not in columns.values():
                    columns[position] = column
                elif not table.is_personal(header):
                    unknown.append(header)
            found = set(columns.values())
            if not all(c in found for c in table.columns if c.required):
                continue
            if len(found) > best_score:
                best, best_score = _Layout(table, index, columns, unknown), len(found)
    return best


def _is_totals_row(row: list[str | None]) -> bool:
    first = next((cell for cell in row if cell is not None), None)
    return first is not None and _TOTALS_LABEL.fullmatch(first.strip()) is not None


def _read_rows(sheet: Sheet, layout: _Layout, result: FileResult, key: bytes) -> None:
    table_rows = result.rows.setdefault(layout.table.table, [])
    for index in range(layout.header_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if all(cell is None for cell in row):
            continue
        if _is_totals_row(row):
            result.totals_rows += 1
            continue
        row_number = sheet.row_number(index)
        record, problem = _parse_row(row, layout, key)
        if problem is not None:
            column_name, reason = problem
            result.rejected.append(
                RejectedRow(result.path.name, sheet.name, row_number, column_name, reason)
            )
            continue
        record.update(
            _file_sha256=result.sha256,
            _file_name=result.path.name,
            _sheet=sheet.name,
            _row_number=row_number,
        )
        table_rows.append(record)


def _parse_row(
    row: list[str | None], layout: _Layout, key: bytes
) -> tuple[dict, tuple[str, str] | None]:
    """Parse one data row; on failure return the header and reason of the first bad cell."""
    record: dict = {c.name: None for c in layout.table.columns}
    for position, column in layout.columns.items():
        raw = row[position] if position < len(row) else None
        if column.type in PSEUDONYM_TYPES:
            record[column.name] = pseudonymize(raw, key)
            if column.type == "citizen_id":
                record[validity_column(column)] = (
                    None if raw is None else normalize.is_valid_citizen_id(raw)
                )
            continue
        try:
            record[column.name] = PARSERS[column.type](raw)
        except ValueError as error:
            return record, (column.name, str(error))
    for column in layout.table.columns:
        if column.required and record[column.name] is None:
            return record, (column.name, "required value is missing")
    return record, None


def write_raw_tables(
    connection: duckdb.DuckDBPyConnection, contract: SourceContract, results: list[FileResult]
) -> dict[str, int]:
    """Replace the raw tables of one source kind with the rows read, in one transaction."""
    counts = {}
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    connection.execute("begin transaction")
    try:
        for table in contract.tables:
            columns = table_sql_columns(table)
            ddl = ", ".join(f"{name} {sql_type}" for name, sql_type in columns.items())
            name = f"{RAW_SCHEMA}.{table.table}"
            connection.execute(f"create or replace table {name} ({ddl})")
            rows = [r for result in results for r in result.rows.get(table.table, [])]
            if rows:
                frame = pd.DataFrame.from_records(rows, columns=list(columns))
                connection.register("incoming_rows", frame)
                connection.execute(f"insert into {name} by name select * from incoming_rows")
                connection.unregister("incoming_rows")
            counts[table.table] = len(rows)
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
    return counts
