"""Load landing files into the warehouse: once each, completely, traceably.

- A file is identified by its content hash. A file already loaded is skipped; the same content
  under another name is recorded as a duplicate and loads nothing; a changed file under the
  same name replaces the rows of its earlier version. Each file loads in one transaction.
- Every row read is either loaded (with its file hash, file name, sheet and row number) or
  kept in ``raw.ingest_quarantine`` with the column and reason that stopped it, so for every
  file ``rows_read = rows_loaded + rows_quarantined`` (blank and totals rows are not data:
  they are counted apart, as ``rows_skipped``).
- A file that cannot be read at all is recorded as failed with a clear error; the others load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sources.contracts import SourceContract, TableContract
from sources.layout import Layout, find_layout
from sources.normalize import redact_identifier_sql
from sources.readers import UnreadableFileError, read_sheets, unstage
from sources.resolve import GeographyResolver
from sources.transform import (
    LINEAGE_COLUMNS,
    parse_staged,
    sql_string,
    table_columns,
)

RAW_SCHEMA = "raw"
RESTRICTED_SCHEMA = "restricted"
LEDGER = f"{RAW_SCHEMA}.ingest_ledger"
QUARANTINE = f"{RAW_SCHEMA}.ingest_quarantine"
RESTRICTED_NOTE = "[restricted]"

LEDGER_COLUMNS = {
    "file_sha256": "varchar",
    "file_name": "varchar",
    "source_kind": "varchar",
    "loaded_at": "timestamp",
    "status": "varchar",  # loaded, failed, duplicate, replaced
    "rows_read": "integer",
    "rows_loaded": "integer",
    "rows_quarantined": "integer",
    "rows_skipped": "integer",
    "error": "varchar",
    "unknown_headers": "varchar",
    "personal_headers_dropped": "varchar",
    "sheets_skipped": "varchar",
}
QUARANTINE_COLUMNS = {
    "file_sha256": "varchar",
    "file_name": "varchar",
    "source_kind": "varchar",
    "table_name": "varchar",
    "sheet": "varchar",
    "row_number": "integer",
    "column_name": "varchar",
    "reason": "varchar",
    "raw_record": "json",
}


@dataclass
class FileOutcome:
    file_name: str
    file_sha256: str
    source_kind: str
    status: str  # loaded, failed, duplicate, unchanged
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    error: str | None = None
    unknown_headers: list[str] = field(default_factory=list)
    personal_headers: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # hashes of earlier versions

    def __str__(self) -> str:
        if self.status in ("failed", "duplicate", "unchanged"):
            return f"{self.file_name}: {self.status}" + (f" ({self.error})" if self.error else "")
        return (
            f"{self.file_name}: {self.rows_read} rows read, {self.rows_loaded} loaded, "
            f"{self.rows_quarantined} quarantined"
        )


@dataclass(frozen=True)
class _ParsedSheet:
    sheet: str
    layout: Layout
    staged: str
    parsed: str


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


def ingest_folder(
    connection: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    contract: SourceContract,
    key: bytes,
    resolver: GeographyResolver,
    progress: Callable[[int, int, FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Ingest every file of one source kind; a bad file never stops the others."""
    ensure_tables(connection, contract)
    files = landing_files(landing_dir, contract.kind)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="roijai-ingest-") as work_dir:
        for number, path in enumerate(files, start=1):
            outcome = ingest_file(connection, path, contract, key, resolver, Path(work_dir))
            outcomes.append(outcome)
            if progress is not None:
                progress(number, len(files), outcome)
    return outcomes


def ensure_tables(connection: duckdb.DuckDBPyConnection, contract: SourceContract) -> None:
    """Create the ledger, quarantine and raw tables; add columns a contract gained since."""
    for schema in (RAW_SCHEMA, RESTRICTED_SCHEMA):
        connection.execute(f"create schema if not exists {schema}")
    _ensure_table(connection, LEDGER, LEDGER_COLUMNS)
    _ensure_table(connection, QUARANTINE, QUARANTINE_COLUMNS)
    for table in contract.tables:
        _ensure_table(connection, raw_table(table), raw_columns(table))
        if restricted_columns(table):
            _ensure_table(connection, restricted_table(table), restricted_table_columns(table))


def _ensure_table(connection, name: str, columns: dict[str, str]) -> None:
    ddl = ", ".join(f"{column} {sql_type}" for column, sql_type in columns.items())
    connection.execute(f"create table if not exists {name} ({ddl})")
    for column, sql_type in columns.items():
        connection.execute(f"alter table {name} add column if not exists {column} {sql_type}")


def raw_table(table: TableContract) -> str:
    return f"{RAW_SCHEMA}.{table.table}"


def restricted_table(table: TableContract) -> str:
    return f"{RESTRICTED_SCHEMA}.{table.table}"


def warehouse_tables(contract: SourceContract) -> list[str]:
    """The tables a source kind writes: its raw tables, then its restricted ones."""
    tables = [raw_table(t) for t in contract.tables]
    return tables + [restricted_table(t) for t in contract.tables if restricted_columns(t)]


def restricted_columns(table: TableContract) -> list:
    return [c for c in table.columns if c.restricted]


def raw_columns(table: TableContract) -> dict[str, str]:
    open_columns = [c for c in table.columns if not c.restricted]
    return table_columns(open_columns) | {"_extra": "json"} | LINEAGE_COLUMNS


def restricted_table_columns(table: TableContract) -> dict[str, str]:
    """Sensitive answers, linked to their household row by its lineage columns."""
    return {"village_code": "varchar"} | table_columns(restricted_columns(table)) | LINEAGE_COLUMNS


def ingest_file(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    contract: SourceContract,
    key: bytes,
    resolver: GeographyResolver,
    work_dir: Path,
) -> FileOutcome:
    sha256 = file_sha256(path)
    outcome = FileOutcome(path.name, sha256, contract.kind, status="loaded")
    loaded_as = [
        name
        for (name,) in connection.execute(
            f"select file_name from {LEDGER} where file_sha256 = ? and status = 'loaded'",
            [sha256],
        ).fetchall()
    ]
    if path.name in loaded_as:
        outcome.status = "unchanged"
        return outcome
    if loaded_as:
        outcome.status = "duplicate"
        outcome.error = f"same content as {loaded_as[0]}, already loaded"
        _record_once(connection, outcome)
        return outcome
    try:
        parsed_sheets = _parse_file(connection, path, contract, key, resolver, work_dir, outcome)
    except (UnreadableFileError, duckdb.Error) as error:
        outcome.status = "failed"
        outcome.error = (
            str(error)
            if isinstance(error, UnreadableFileError)
            else (f"{path.name}: {type(error).__name__}: {error}")
        )
        _record_once(connection, outcome)
        return outcome
    connection.execute("begin transaction")
    try:
        _replace_earlier_versions(connection, contract, outcome)
        for parsed_sheet in parsed_sheets:
            _insert_rows(connection, contract, parsed_sheet, outcome)
        _insert_ledger_row(connection, outcome)
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
    finally:
        for parsed_sheet in parsed_sheets:
            unstage(connection, parsed_sheet.staged)
            connection.execute(f"drop table if exists {parsed_sheet.parsed}")
    return outcome


def _parse_file(connection, path, contract, key, resolver, work_dir, outcome) -> list[_ParsedSheet]:
    parsed_sheets = []
    for number, sheet in enumerate(read_sheets(path, work_dir)):
        layout = find_layout(sheet.head(), contract)
        if layout is None:
            outcome.skipped_sheets.append(sheet.name)
            continue
        staged, parsed = f"staged_{number}", f"parsed_{number}"
        sheet.stage(connection, staged, layout.header_index + 1, layout.width)
        parse_staged(connection, staged, parsed, layout, key, resolver)
        (staged_rows,) = connection.execute(f"select count(*) from {staged}").fetchone()
        (data_rows,) = connection.execute(f"select count(*) from {parsed}").fetchone()
        outcome.rows_skipped += staged_rows - data_rows
        outcome.unknown_headers += list(layout.unknown)
        outcome.personal_headers += layout.personal
        parsed_sheets.append(_ParsedSheet(sheet.name, layout, staged, parsed))
    if not parsed_sheets:
        tables = ", ".join(t.table for t in contract.tables)
        sheets = ", ".join(outcome.skipped_sheets)
        raise UnreadableFileError(
            path, f"no sheet has the header row of a {contract.kind} file ({tables}); "
            f"sheets: {sheets}"
        )  # fmt: skip
    return parsed_sheets


def _replace_earlier_versions(connection, contract: SourceContract, outcome: FileOutcome):
    """A changed file under the same name takes the place of its earlier version's rows."""
    earlier = [
        sha
        for (sha,) in connection.execute(
            f"select file_sha256 from {LEDGER} where file_name = ? and source_kind = ? "
            "and status = 'loaded' and file_sha256 != ?",
            [outcome.file_name, contract.kind, outcome.file_sha256],
        ).fetchall()
    ]
    for sha in earlier:
        for table in warehouse_tables(contract):
            connection.execute(f"delete from {table} where _file_sha256 = ?", [sha])
        connection.execute(f"delete from {QUARANTINE} where file_sha256 = ?", [sha])
        connection.execute(
            f"update {LEDGER} set status = 'replaced' where file_sha256 = ? and file_name = ?",
            [sha, outcome.file_name],
        )
    outcome.replaced = earlier
    # an earlier failed attempt at this very file is superseded by this load
    connection.execute(
        f"delete from {LEDGER} where file_sha256 = ? and file_name = ?",
        [outcome.file_sha256, outcome.file_name],
    )


def _insert_rows(connection, contract, parsed_sheet: _ParsedSheet, outcome: FileOutcome):
    table, layout, parsed = parsed_sheet.layout.table, parsed_sheet.layout, parsed_sheet.parsed
    lineage = (
        f"'{outcome.file_sha256}' as _file_sha256, {sql_string(outcome.file_name)} as _file_name,"
        f" {sql_string(parsed_sheet.sheet)} as _sheet, _row_number"
    )
    open_columns = [c for c in raw_columns(table) if c not in LINEAGE_COLUMNS]
    (loaded,) = connection.execute(
        f"insert into {raw_table(table)} by name select {', '.join(open_columns)}, {lineage} "
        f"from {parsed} where _problem_reason is null"
    ).fetchone()
    if restricted_columns(table):
        sensitive = [c for c in restricted_table_columns(table) if c not in LINEAGE_COLUMNS]
        answered = " or ".join(f"{c.name} is not null" for c in restricted_columns(table))
        connection.execute(
            f"insert into {restricted_table(table)} by name select {', '.join(sensitive)}, "
            f"{lineage} from {parsed} where _problem_reason is null and ({answered})"
        )
    (quarantined,) = connection.execute(
        f"insert into {QUARANTINE} by name select '{outcome.file_sha256}' as file_sha256, "
        f"{sql_string(outcome.file_name)} as file_name, '{contract.kind}' as source_kind, "
        f"'{table.table}' as table_name, {sql_string(parsed_sheet.sheet)} as sheet, "
        f"p._row_number as row_number, p._problem_column as column_name, "
        f"p._problem_reason as reason, {_raw_record(layout)} as raw_record "
        f"from {parsed} p join {parsed_sheet.staged} s on p._row_number = s._row_number "
        "where p._problem_reason is not null"
    ).fetchone()
    outcome.rows_loaded += loaded
    outcome.rows_quarantined += quarantined
    outcome.rows_read += loaded + quarantined


def _raw_record(layout: Layout) -> str:
    """The quarantined row as read, by header, without anything personal or sensitive:
    identifiers appear as their pseudonyms, restricted answers as a note, personal columns
    not at all, unknown columns as kept in _extra, cells that look like IDs redacted."""
    by_position = {position: column for column, position in layout.columns.items()}
    unknown_by_position = {position: name for name, position in layout.unknown.items()}
    pairs = []
    for position, header in enumerate(layout.headers):
        if header is None or header in layout.personal:
            continue
        column = by_position.get(position)
        if column is not None and column.type in ("pseudonym", "citizen_id"):
            value = f"p.{column.name}"
        elif column is not None and column.restricted:
            value = f"'{RESTRICTED_NOTE}'"
        elif position in unknown_by_position:
            value = f"p._extra ->> {sql_string(unknown_by_position[position])}"
        else:
            value = redact_identifier_sql(f"s.c{position}")
        pairs.append(f"{sql_string(header)}, {value}")
    return f"json_object({', '.join(pairs)})" if pairs else "null::json"


def _insert_ledger_row(connection, outcome: FileOutcome) -> None:
    row = {
        "file_sha256": outcome.file_sha256,
        "file_name": outcome.file_name,
        "source_kind": outcome.source_kind,
        "loaded_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "status": outcome.status,
        "rows_read": outcome.rows_read,
        "rows_loaded": outcome.rows_loaded,
        "rows_quarantined": outcome.rows_quarantined,
        "rows_skipped": outcome.rows_skipped,
        "error": outcome.error,
        "unknown_headers": json.dumps(sorted(set(outcome.unknown_headers)), ensure_ascii=False),
        "personal_headers_dropped": json.dumps(
            sorted(set(outcome.personal_headers)), ensure_ascii=False
        ),
        "sheets_skipped": json.dumps(outcome.skipped_sheets, ensure_ascii=False),
    }
    columns = ", ".join(row)
    connection.execute(
        f"insert into {LEDGER} ({columns}) values ({', '.join('?' for _ in row)})",
        list(row.values()),
    )


def _record_once(connection, outcome: FileOutcome) -> None:
    """Record a failed or duplicate file, replacing an earlier record of the same file."""
    connection.execute(
        f"delete from {LEDGER} where file_sha256 = ? and file_name = ? and status = ?",
        [outcome.file_sha256, outcome.file_name, outcome.status],
    )
    _insert_ledger_row(connection, outcome)


def quarantine_examples(connection, outcomes: list[FileOutcome], limit: int) -> list[str]:
    """The first quarantined rows of these files, as 'file, sheet, row, column: reason'."""
    hashes = [o.file_sha256 for o in outcomes if o.rows_quarantined]
    if not hashes:
        return []
    rows = connection.execute(
        f"select file_name, sheet, row_number, column_name, reason from {QUARANTINE} "
        "where file_sha256 in (select unnest(?)) order by file_name, sheet, row_number limit ?",
        [hashes, limit],
    ).fetchall()
    return [f"{f}, sheet {s!r}, row {r}, column {c!r}: {reason}" for f, s, r, c, reason in rows]
