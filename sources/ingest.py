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
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sources.contracts import SourceContract, TableContract
from sources.layout import Layout, best_candidates, find_layout, has_labels_row
from sources.mappings import MAPPINGS_DIR, mapping_for, propose_mapping
from sources.normalize import (
    REDACTED,
    looks_personal,
    parse_number,
    redact_personal_sql,
)
from sources.readers import UnreadableFileError, read_sheets, unstage
from sources.resolve import GeographyResolver
from sources.sheet_rows import GRAND_TOTAL_LABEL, SheetNames, classify_rows, prepare_values
from sources.sql import sql_string
from sources.transform import LINEAGE_COLUMNS, parse_staged, table_columns

RAW_SCHEMA = "raw"
RESTRICTED_SCHEMA = "restricted"
LEDGER = f"{RAW_SCHEMA}.ingest_ledger"
SHEETS = f"{RAW_SCHEMA}.ingest_sheets"
QUARANTINE = f"{RAW_SCHEMA}.ingest_quarantine"
CONTROL_TOTALS = f"{RAW_SCHEMA}.ingest_control_totals"
RESTRICTED_NOTE = "[restricted]"
# The name of a sheet that summarises the others (a pivot, totals per district, a chart).
SUMMARY_SHEET_NAME = re.compile(r"สรุป|summary|pivot|dashboard|chart|กราฟ|แผนภูมิ", re.IGNORECASE)
# Statuses of a file whose rows are in the warehouse: 'partial' when a sheet with rows was read
# by nothing (listed in raw.ingest_sheets with its reason).
LOADED_STATUSES = ("loaded", "partial")
LOADED_SQL = f"status in ({', '.join(repr(s) for s in LOADED_STATUSES)})"

LEDGER_COLUMNS = {
    "file_sha256": "varchar",
    "file_name": "varchar",
    "source_kind": "varchar",
    "loaded_at": "timestamp",  # UTC, like every timestamp of the ledgers
    # when the file arrived: its modification time, or when the pipeline first saw it if that
    # is earlier (a copy that reset the time); spreadsheets' timeliness is judged on it
    "arrived_at": "timestamp",
    "first_seen_at": "timestamp",  # first seen by the pipeline: a failed file is failing since
    # loaded, partial, failed, duplicate, replaced (an earlier version, loaded or failed, of a
    # file loaded since under the same name), withdrawn (failed, and gone from the landing folder)
    "status": "varchar",
    "rows_read": "integer",
    "rows_loaded": "integer",
    "rows_quarantined": "integer",
    "rows_skipped": "integer",
    "error": "varchar",
    "unknown_headers": "varchar",
    "personal_headers_dropped": "varchar",
    "sheets_skipped": "varchar",
}
# The file a row of the sheet ledger, the control totals or the quarantine belongs to.
FILE_COLUMNS = {"file_sha256": "varchar", "file_name": "varchar", "source_kind": "varchar"}
SHEET_COLUMNS = FILE_COLUMNS | {
    "sheet": "varchar",
    "sheet_position": "integer",
    "status": "varchar",  # loaded, ignored
    "table_name": "varchar",
    "header_rows": "varchar",
    "rows_read": "integer",
    "rows_loaded": "integer",
    "rows_quarantined": "integer",
    "rows_skipped": "integer",
    "non_blank_rows": "integer",
    "row_kinds": "json",  # rows per kind: data, header, title, section, fact, totals, ...
    "columns": "json",  # contract column -> [header as written, score]
    "mapping": "varchar",  # the header mapping file that named columns, if one did
    "holds_table": "boolean",  # an ignored sheet with a row of labels: a table nothing read
    "reason": "varchar",
}
CONTROL_TOTAL_COLUMNS = FILE_COLUMNS | {
    "table_name": "varchar",
    "sheet": "varchar",
    "row_number": "integer",
    "scope": "varchar",  # grand (the whole table) or subtotal (the rows since the last total)
    "label": "varchar",
    "scope_first_row": "integer",  # the data rows the total is about
    "scope_last_row": "integer",
    "data_rows_in_scope": "integer",
    "declared_count": "integer",  # '17 หมู่บ้าน', 'Total: 23 villages'
    "declared_count_of": "varchar",  # projects ('12 โครงการ': distinct projects), else rows
    "declared_amounts": "json",  # amount column -> the total the sheet shows
}
QUARANTINE_COLUMNS = FILE_COLUMNS | {
    "table_name": "varchar",
    "sheet": "varchar",
    "row_number": "integer",
    "column_name": "varchar",
    "reason": "varchar",
    "raw_record": "json",
}


@dataclass
class SheetOutcome:
    """What became of one sheet (or the one table of a CSV): loaded into a table, or ignored."""

    sheet: str
    position: int
    status: str  # loaded, ignored
    non_blank_rows: int
    table: str | None = None
    header_rows: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    row_kinds: dict[str, int] = field(default_factory=dict)
    columns: dict[str, list] = field(default_factory=dict)
    reason: str | None = None
    mapping: str | None = None  # the header mapping file used, if one was
    holds_table: bool = False  # a loaded sheet, or an ignored one with a row of labels


@dataclass
class FileOutcome:
    file_name: str
    file_sha256: str
    source_kind: str
    status: str  # loaded, partial, failed, duplicate, unchanged
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    error: str | None = None
    arrived_at: dt.datetime | None = None
    first_seen_at: dt.datetime | None = None
    unknown_headers: list[str] = field(default_factory=list)
    personal_headers: list[str] = field(default_factory=list)
    sheets: list[SheetOutcome] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # hashes of earlier versions

    @property
    def skipped_sheets(self) -> list[str]:
        return [s.sheet for s in self.sheets if s.status == "ignored"]

    def __str__(self) -> str:
        if self.status in ("failed", "duplicate", "unchanged"):
            return f"{self.file_name}: {self.status}" + (f" ({self.error})" if self.error else "")
        text = (
            f"{self.file_name}: {self.rows_read} rows read, {self.rows_loaded} loaded, "
            f"{self.rows_quarantined} quarantined"
        )
        unread = [s for s in self.sheets if s.status == "ignored" and s.holds_table]
        if unread:
            text += "; NOT read: " + "; ".join(
                f"sheet {s.sheet!r} ({s.non_blank_rows} non-blank rows: {s.reason})" for s in unread
            )
        return text


@dataclass(frozen=True)
class _ParsedSheet:
    sheet: str
    layout: Layout
    staged: str
    prepared: str
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


@dataclass(frozen=True)
class HeaderMappings:
    """Where mapping files are read from, and where proposed ones are written (None: not)."""

    folder: Path = MAPPINGS_DIR
    proposals: Path | None = None


def ingest_folder(
    connection: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    contract: SourceContract,
    key: bytes,
    resolver: GeographyResolver,
    progress: Callable[[int, int, FileOutcome], None] | None = None,
    mappings: HeaderMappings = HeaderMappings(),
) -> list[FileOutcome]:
    """Ingest every file of one source kind; a bad file never stops the others."""
    ensure_tables(connection, contract)
    files = landing_files(landing_dir, contract.kind)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="roijai-ingest-") as work_dir:
        for number, path in enumerate(files, start=1):
            outcome = ingest_file(
                connection, path, contract, key, resolver, Path(work_dir), mappings
            )
            outcomes.append(outcome)
            if progress is not None:
                progress(number, len(files), outcome)
    withdraw_failed_files(connection, contract.kind, files)
    return outcomes


def ensure_tables(connection: duckdb.DuckDBPyConnection, contract: SourceContract) -> None:
    """Create the ledgers, quarantine and raw tables; add columns a contract gained since."""
    for schema in (RAW_SCHEMA, RESTRICTED_SCHEMA):
        connection.execute(f"create schema if not exists {schema}")
    _ensure_table(connection, LEDGER, LEDGER_COLUMNS)
    _ensure_table(connection, SHEETS, SHEET_COLUMNS)
    _ensure_table(connection, QUARANTINE, QUARANTINE_COLUMNS)
    _ensure_table(connection, CONTROL_TOTALS, CONTROL_TOTAL_COLUMNS)
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
    mappings: HeaderMappings = HeaderMappings(),
) -> FileOutcome:
    sha256 = file_sha256(path)
    outcome = FileOutcome(path.name, sha256, contract.kind, status="loaded")
    _date_arrival(connection, path, outcome)
    loaded_as = [
        name
        for (name,) in connection.execute(
            f"select file_name from {LEDGER} where file_sha256 = ? and {LOADED_SQL}", [sha256]
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
    parsed_sheets: list[_ParsedSheet] = []
    try:
        _parse_file(
            connection, path, contract, key, resolver, work_dir, mappings, outcome, parsed_sheets
        )
    except (UnreadableFileError, duckdb.Error) as error:
        _drop_work_tables(connection, parsed_sheets)
        outcome.status = "failed"
        outcome.error = (
            str(error)
            if isinstance(error, UnreadableFileError)
            else (f"{path.name}: {type(error).__name__}: {error}")
        )
        _record_once(connection, outcome)
        return outcome
    if any(s.status == "ignored" and s.holds_table for s in outcome.sheets):
        outcome.status = "partial"
    connection.execute("begin transaction")
    try:
        _replace_earlier_versions(connection, contract, outcome)
        for parsed_sheet in parsed_sheets:
            _insert_rows(connection, contract, parsed_sheet, outcome)
            _insert_control_totals(connection, contract, parsed_sheet, outcome)
        _insert_ledger_row(connection, outcome)
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
    finally:
        _drop_work_tables(connection, parsed_sheets)
    return outcome


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _date_arrival(connection, path: Path, outcome: FileOutcome) -> None:
    """When the pipeline first saw this file (kept across retries of a failing file), and when
    it arrived: its modification time, unless the pipeline saw it earlier than that."""
    (first_seen,) = connection.execute(
        f"select min(coalesce(first_seen_at, loaded_at)) from {LEDGER} "
        "where file_sha256 = ? and file_name = ?",
        [outcome.file_sha256, outcome.file_name],
    ).fetchone()
    outcome.first_seen_at = first_seen or _utc_now()
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    outcome.arrived_at = min(modified, outcome.first_seen_at)


def withdraw_failed_files(
    connection: duckdb.DuckDBPyConnection, kind: str, present: list[Path]
) -> None:
    """A failed file no longer in the landing folder is withdrawn: nothing of it is awaited."""
    connection.execute(
        f"update {LEDGER} set status = 'withdrawn' where source_kind = ? and status = 'failed' "
        "and file_name not in (select unnest(?::varchar[]))",
        [kind, [path.name for path in present]],
    )


def _drop_work_tables(connection, parsed_sheets: list[_ParsedSheet]) -> None:
    for parsed_sheet in parsed_sheets:
        connection.execute(f"drop view if exists {parsed_sheet.prepared}")
        unstage(connection, parsed_sheet.staged)
        for table in (
            parsed_sheet.parsed,
            f"{parsed_sheet.prepared}_filled",
            f"{parsed_sheet.staged}_kinds",
        ):
            connection.execute(f"drop table if exists {table}")


def _parse_file(
    connection, path, contract, key, resolver, work_dir, mappings, outcome, parsed_sheets
):
    """Parse every sheet a table fits into ``parsed_sheets``; account for every sheet."""
    folder = path.parent.name if path.parent.name != contract.kind else None
    sheets = read_sheets(path, work_dir)
    for number, sheet in enumerate(sheets):
        names = SheetNames(sheet.name, path.stem, folder)
        mapping = mapping_for(contract.kind, path.name, sheet.head(), mappings.folder)
        named = mapping.tables if mapping else None
        layout = find_layout(sheet.head(), contract, names.texts(), named)
        if layout is None:
            outcome.sheets.append(_ignored_sheet(sheet, number, contract))
            continue
        staged, prepared, parsed = f"staged_{number}", f"prepared_{number}", f"parsed_{number}"
        kinds = f"{staged}_kinds"
        parsed_sheets.append(_ParsedSheet(sheet.name, layout, staged, prepared, parsed))
        sheet.stage(connection, staged, 0, layout.width)
        facts = classify_rows(connection, staged, kinds, layout)
        prepare_values(connection, staged, kinds, prepared, layout, facts, names)
        parse_staged(connection, prepared, parsed, layout, key, resolver)
        mapping_name = mapping.path.name if mapping else None
        outcome.sheets.append(
            _loaded_sheet(connection, number, sheet.name, layout, kinds, mapping_name)
        )
        outcome.rows_skipped += outcome.sheets[-1].rows_skipped
        outcome.unknown_headers += list(layout.unknown)
        outcome.personal_headers += layout.personal
    if not parsed_sheets:
        message = _unrecognised(outcome, contract)
        tables = [(s, o) for s, o in zip(sheets, outcome.sheets, strict=True) if o.holds_table]
        if mappings.proposals is not None and tables:
            sheet = max(tables, key=lambda pair: pair[1].non_blank_rows)[0]
            candidates = best_candidates(sheet.head(), contract)
            table = candidates[0].table if candidates else contract.tables[0].table
            proposal = propose_mapping(
                path, contract.kind, table, candidates, sheet.head(), mappings.proposals
            )
            message += f"; a proposed header mapping is in {proposal}"
        raise UnreadableFileError(path, message)


def _loaded_sheet(connection, position, name, layout: Layout, kinds_table: str, mapping):
    """A loaded sheet's rows per kind, and its skipped rows: those below its own header that
    are not data (blank, totals, sections, a header repeated)."""
    rows = connection.execute(
        f"select _kind, count(*), count(*) filter (where _block >= 1 and _kind <> 'data' "
        f"and _row_number - 1 not in (select unnest(?))) from {kinds_table} group by 1",
        [list(layout.header_rows)],
    ).fetchall()
    kinds = {kind: count for kind, count, _ in rows}
    skipped = sum(count for _, _, count in rows)
    header_rows = "-".join(str(i + 1) for i in layout.header_rows)
    columns = {c.name: [layout.headers[p], layout.scores.get(c)] for c, p in layout.columns.items()}
    for column, options in layout.options.items():
        columns[column.name] = [f"{len(options)} option columns", 1.0]
    return SheetOutcome(
        sheet=name,
        position=position,
        status="loaded",
        non_blank_rows=sum(n for kind, n in kinds.items() if kind != "blank"),
        table=layout.table.table,
        header_rows=header_rows,
        rows_skipped=skipped,
        row_kinds=kinds,
        columns=columns,
        mapping=mapping,
        holds_table=True,
    )


def _ignored_sheet(sheet, position: int, contract: SourceContract) -> SheetOutcome:
    """A sheet no table fits, with its count of non-blank rows and what came closest. A sheet
    with no row of labels at all holds notes, not a table, and one named as a summary
    ('สรุป', 'Summary', 'Pivot') holds figures of the other sheets, not rows of its own: both
    are ignored as such. Any other is a table nothing read (the file is partial)."""
    non_blank = sum(1 for row in sheet.all_rows() if any(c is not None for c in row))
    if not has_labels_row(sheet.head()):
        reason = "no table: no row of two or more labels (notes only)"
        return SheetOutcome(sheet.name, position, "ignored", non_blank, reason=reason)
    if SUMMARY_SHEET_NAME.search(sheet.name):
        reason = "no rows of its own: a summary sheet (its name says so) of the other sheets"
        return SheetOutcome(sheet.name, position, "ignored", non_blank, reason=reason)
    return SheetOutcome(
        sheet=sheet.name,
        position=position,
        status="ignored",
        non_blank_rows=non_blank,
        holds_table=True,
        reason=f"no header row of a {contract.kind} table ({_closest(sheet.head(), contract)})",
    )


def _closest(rows, contract: SourceContract) -> str:
    """The best header found per column, required columns first, as 'column ~ 'header' 0.42'."""
    candidates = best_candidates(rows, contract)
    if not candidates:
        return "no row of labels in the first rows"
    candidates.sort(key=lambda c: (not c.column.required, -c.score))
    shown = [
        f"{c.column.name}{' (required)' if c.column.required else ''} ~ "
        + (f"{c.header!r} {c.score:.2f}" if c.score > 0 else "no header")
        for c in candidates
        if c.column.required or c.score > 0
    ]
    return "closest: " + "; ".join(shown)


def _unrecognised(outcome: FileOutcome, contract: SourceContract) -> str:
    tables = ", ".join(t.table for t in contract.tables)
    details = " | ".join(f"sheet {s.sheet!r}: {s.reason}" for s in outcome.sheets)
    return f"no sheet has the header row of a {contract.kind} file ({tables}): {details}"


def _replace_earlier_versions(connection, contract: SourceContract, outcome: FileOutcome):
    """A changed file under the same name takes the place of its earlier version's rows."""
    earlier = [
        sha
        for (sha,) in connection.execute(
            f"select file_sha256 from {LEDGER} where file_name = ? and source_kind = ? "
            f"and {LOADED_SQL} and file_sha256 != ?",
            [outcome.file_name, contract.kind, outcome.file_sha256],
        ).fetchall()
    ]
    connection.execute(
        f"update {LEDGER} set status = 'replaced' where file_name = ? and source_kind = ? "
        "and status = 'failed' and file_sha256 != ?",
        [outcome.file_name, contract.kind, outcome.file_sha256],
    )
    for sha in earlier:
        for table in warehouse_tables(contract):
            connection.execute(f"delete from {table} where _file_sha256 = ?", [sha])
        connection.execute(f"delete from {QUARANTINE} where file_sha256 = ?", [sha])
        connection.execute(f"delete from {CONTROL_TOTALS} where file_sha256 = ?", [sha])
        connection.execute(
            f"update {LEDGER} set status = 'replaced' where file_sha256 = ? and file_name = ?",
            [sha, outcome.file_name],
        )
    outcome.replaced = earlier
    # an earlier failed attempt at this very file is superseded by this load
    for table in (LEDGER, SHEETS):
        connection.execute(
            f"delete from {table} where file_sha256 = ? and file_name = ?",
            [outcome.file_sha256, outcome.file_name],
        )


def _insert_rows(connection, contract, parsed_sheet: _ParsedSheet, outcome: FileOutcome):
    table, layout, parsed = parsed_sheet.layout.table, parsed_sheet.layout, parsed_sheet.parsed
    lineage = (
        f"'{outcome.file_sha256}' as _file_sha256, {sql_string(outcome.file_name)} as _file_name,"
        f" {sql_string(parsed_sheet.sheet)} as _sheet, _row_number, _context"
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
        f"from {parsed} p join {parsed_sheet.prepared} s on p._row_number = s._row_number "
        "where p._problem_reason is not null"
    ).fetchone()
    sheet = next(s for s in outcome.sheets if s.sheet == parsed_sheet.sheet)
    sheet.rows_loaded, sheet.rows_quarantined = loaded, quarantined
    sheet.rows_read = loaded + quarantined
    outcome.rows_loaded += loaded
    outcome.rows_quarantined += quarantined
    outcome.rows_read += loaded + quarantined


_COUNT_WITH_UNIT = re.compile(
    r"([0-9๐-๙][0-9๐-๙,]*)\s*(หมู่บ้าน|บ้าน|โครงการ|ครัวเรือน|รายการ|แห่ง|villages?|projects?|"
    r"households?|items?|lines?)",
    re.IGNORECASE,
)


# A count of projects: a project can span several lines (one per village it reaches).
_PROJECT_UNIT = re.compile(r"โครงการ|projects?", re.IGNORECASE)


def _insert_control_totals(connection, contract, parsed_sheet: _ParsedSheet, outcome):
    """Keep a sheet's totals rows: what the sheet itself says it holds (counts, sums), with the
    data rows each total is about, so a check can compare them with what was loaded."""
    layout, prepared = parsed_sheet.layout, parsed_sheet.prepared
    amounts = {c.name: p for c, p in layout.columns.items() if c.type == "number"}
    rows = connection.execute(
        f"select _row_number, [{', '.join(f'c{i}' for i in range(layout.width))}] "
        f"from {prepared} where _kind = 'totals' order by 1"
    ).fetchall()
    previous_total, previous_grand_total = 0, 0
    for row_number, cells in rows:
        label = next((c.strip() for c in cells if c and c.strip()), "")
        scope = "grand" if re.search(GRAND_TOTAL_LABEL, label, re.IGNORECASE) else "subtotal"
        # a subtotal is about the rows since the last total; a grand total about the rows
        # since the last grand total (a block of its own, or the printouts pasted together)
        after = previous_total if scope == "subtotal" else previous_grand_total
        previous_total = row_number
        previous_grand_total = row_number if scope == "grand" else previous_grand_total
        first, last, count = connection.execute(
            f"select min(_row_number), max(_row_number), count(*) from {prepared} "
            "where _kind = 'data' and _row_number > ? and _row_number < ?",
            [after, row_number],
        ).fetchone()
        declared = {}
        for name, position in amounts.items():
            try:
                value = parse_number(cells[position] if position < len(cells) else None)
            except ValueError:
                value = None
            if value is not None:
                declared[name] = round(value * layout.scale(layout.table.by_name[name]), 2)
        counts = [m for c in cells if c for m in [_COUNT_WITH_UNIT.search(c)] if m]
        declared_count = int(parse_number(counts[0].group(1))) if counts else None
        counted = "projects" if counts and _PROJECT_UNIT.fullmatch(counts[0].group(2)) else "rows"
        _insert_values(
            connection,
            CONTROL_TOTALS,
            {
                "file_sha256": outcome.file_sha256,
                "file_name": outcome.file_name,
                "source_kind": contract.kind,
                "table_name": layout.table.table,
                "sheet": parsed_sheet.sheet,
                "row_number": row_number,
                "scope": scope,
                "label": _safe_label(label),
                "scope_first_row": first,
                "scope_last_row": last,
                "data_rows_in_scope": count,
                "declared_count": declared_count,
                "declared_count_of": counted if counts else None,
                "declared_amounts": json.dumps(declared, ensure_ascii=False) if declared else None,
            },
        )


def _safe_label(label: str) -> str:
    """A totals row's label, short, with anything that looks like an identifier redacted."""
    return REDACTED if looks_personal(label) else label[:80]


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
            value = redact_personal_sql(f"s.c{position}")
        pairs.append(f"{sql_string(header)}, {value}")
    return f"json_object({', '.join(pairs)})" if pairs else "null::json"


def _insert_ledger_row(connection, outcome: FileOutcome) -> None:
    row = {
        "file_sha256": outcome.file_sha256,
        "file_name": outcome.file_name,
        "source_kind": outcome.source_kind,
        "loaded_at": _utc_now(),
        "arrived_at": outcome.arrived_at,
        "first_seen_at": outcome.first_seen_at,
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
    _insert_values(connection, LEDGER, row)
    for sheet in outcome.sheets:
        _insert_values(
            connection,
            SHEETS,
            {
                "file_sha256": outcome.file_sha256,
                "file_name": outcome.file_name,
                "source_kind": outcome.source_kind,
                "sheet": sheet.sheet,
                "sheet_position": sheet.position,
                "status": sheet.status,
                "table_name": sheet.table,
                "header_rows": sheet.header_rows,
                "rows_read": sheet.rows_read,
                "rows_loaded": sheet.rows_loaded,
                "rows_quarantined": sheet.rows_quarantined,
                "rows_skipped": sheet.rows_skipped,
                "non_blank_rows": sheet.non_blank_rows,
                "row_kinds": json.dumps(sheet.row_kinds, ensure_ascii=False),
                "columns": json.dumps(sheet.columns, ensure_ascii=False),
                "mapping": sheet.mapping,
                "holds_table": sheet.holds_table,
                "reason": sheet.reason,
            },
        )


def _insert_values(connection, table: str, row: dict) -> None:
    columns = ", ".join(row)
    connection.execute(
        f"insert into {table} ({columns}) values ({', '.join('?' for _ in row)})",
        list(row.values()),
    )


def _record_once(connection, outcome: FileOutcome) -> None:
    """Record a failed or duplicate file, replacing an earlier record of the same file."""
    connection.execute(
        f"delete from {LEDGER} where file_sha256 = ? and file_name = ? and status = ?",
        [outcome.file_sha256, outcome.file_name, outcome.status],
    )
    connection.execute(
        f"delete from {SHEETS} where file_sha256 = ? and file_name = ?",
        [outcome.file_sha256, outcome.file_name],
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
