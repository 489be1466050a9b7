"""The load of one parsed file into the warehouse, in one transaction: its rows into the raw
(and restricted) tables, its bad rows into the quarantine, its totals rows into the control
totals, and its record into the ledgers; an earlier version of the file (same name, other
content) is replaced in the same transaction. Failed and duplicate files are recorded too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sources.contracts import SourceContract
from sources.file_outcomes import FileOutcome
from sources.layout import Layout
from sources.normalize import (
    REDACTED,
    looks_personal,
    parse_money,
    parse_number,
    redact_personal_sql,
)
from sources.raw_tables import (
    CONTROL_TOTALS,
    LEDGER,
    LOADED_SQL,
    QUARANTINE,
    SHEETS,
    raw_columns,
    raw_table,
    restricted_columns,
    restricted_table,
    restricted_table_columns,
    warehouse_tables,
)
from sources.sheet_rows import GRAND_TOTAL_LABEL
from sources.sql import sql_string
from sources.transform import LINEAGE_COLUMNS
from sources.types import AMOUNT_TYPES

RESTRICTED_NOTE = "[restricted]"


@dataclass(frozen=True)
class ParsedSheet:
    sheet: str
    layout: Layout
    staged: str
    prepared: str
    parsed: str
    malformed: dict[int, str] = field(default_factory=dict)  # row number -> reason


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def date_arrival(connection, path: Path, outcome: FileOutcome) -> None:
    """When the pipeline first saw this file (kept across retries of a failing file), and when
    it arrived: its modification time, unless the pipeline saw it earlier than that."""
    (first_seen,) = connection.execute(
        f"select min(coalesce(first_seen_at, loaded_at)) from {LEDGER} "
        "where file_sha256 = ? and file_name = ?",
        [outcome.file_sha256, outcome.file_name],
    ).fetchone()
    outcome.first_seen_at = first_seen or utc_now()
    modified = dt.datetime.fromtimestamp(path.lstat().st_mtime, dt.UTC).replace(tzinfo=None)
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


def ledger_fingerprint(
    fingerprint: tuple[int, int] | None,
) -> tuple[int | None, dt.datetime | None]:
    """A file's size and modification time as the ledger keeps them: the time as a UTC
    timestamp to the microsecond (a count of nanoseconds would read like an identifier)."""
    if fingerprint is None:
        return None, None
    size, mtime_ns = fingerprint
    return size, dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=mtime_ns // 1000)


def loaded_fingerprints(connection, kind: str) -> dict[str, tuple[int, dt.datetime, str]]:
    """The size, modification time and content hash of each file of a source kind that is
    loaded, by name, as they were when it was read."""
    rows = connection.execute(
        f"select file_name, file_size, file_modified_at, file_sha256 from {LEDGER} "
        f"where source_kind = ? and {LOADED_SQL} and file_size is not null",
        [kind],
    ).fetchall()
    return {name: (size, modified_at, sha256) for name, size, modified_at, sha256 in rows}


def remember_fingerprint(connection, outcome: FileOutcome) -> None:
    """Record the size and modification time of a loaded file found unchanged by its hash (a
    file copied again, or loaded before fingerprints were kept), so the next run need not hash
    it."""
    connection.execute(
        f"update {LEDGER} set file_size = ?, file_modified_at = ? "
        f"where file_sha256 = ? and file_name = ? and {LOADED_SQL}",
        [*ledger_fingerprint(outcome.fingerprint), outcome.file_sha256, outcome.file_name],
    )


def names_loaded_with(connection, sha256: str) -> list[str]:
    """The names under which this content is loaded (one, unless renamed copies were sent)."""
    rows = connection.execute(
        f"select file_name from {LEDGER} where file_sha256 = ? and {LOADED_SQL}", [sha256]
    ).fetchall()
    return [name for (name,) in rows]


def load_file(
    connection: duckdb.DuckDBPyConnection,
    contract: SourceContract,
    outcome: FileOutcome,
    parsed_sheets: list[ParsedSheet],
) -> None:
    """Load the parsed sheets of one file and record it, all or nothing."""
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


def _insert_rows(connection, contract, parsed_sheet: ParsedSheet, outcome: FileOutcome):
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
    quarantined += _insert_malformed_lines(connection, contract, parsed_sheet, outcome)
    sheet = next(s for s in outcome.sheets if s.sheet == parsed_sheet.sheet)
    sheet.rows_loaded, sheet.rows_quarantined = loaded, quarantined
    sheet.rows_read = loaded + quarantined
    outcome.rows_loaded += loaded
    outcome.rows_quarantined += quarantined
    outcome.rows_read += loaded + quarantined


def _insert_malformed_lines(connection, contract, parsed_sheet: ParsedSheet, outcome) -> int:
    """Quarantine the lines that could not be split into cells, by line number and reason:
    not their text, which cannot be told apart into columns (some may be personal)."""
    for row_number, reason in sorted(parsed_sheet.malformed.items()):
        _insert_values(
            connection,
            QUARANTINE,
            {
                "file_sha256": outcome.file_sha256,
                "file_name": outcome.file_name,
                "source_kind": contract.kind,
                "table_name": parsed_sheet.layout.table.table,
                "sheet": parsed_sheet.sheet,
                "row_number": row_number,
                "reason": reason,
            },
        )
    return len(parsed_sheet.malformed)


_COUNT_WITH_UNIT = re.compile(
    r"([0-9๐-๙][0-9๐-๙,]*)\s*(หมู่บ้าน|บ้าน|โครงการ|ครัวเรือน|รายการ|แห่ง|villages?|projects?|"
    r"households?|items?|lines?)",
    re.IGNORECASE,
)


# A count of projects: a project can span several lines (one per village it reaches).
_PROJECT_UNIT = re.compile(r"โครงการ|projects?", re.IGNORECASE)


def _insert_control_totals(connection, contract, parsed_sheet: ParsedSheet, outcome):
    """Keep a sheet's totals rows: what the sheet itself says it holds (counts, sums), with the
    data rows each total is about, so a check can compare them with what was loaded."""
    layout, prepared = parsed_sheet.layout, parsed_sheet.prepared
    amounts = {c: p for c, p in layout.columns.items() if c.type in AMOUNT_TYPES}
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
        for column, position in amounts.items():
            cell = cells[position] if position < len(cells) else None
            try:  # as the rows' amounts are read: in the header's unit, to the satang
                value = parse_money(cell, layout.scale(column))
            except ValueError:
                value = None
            if value is not None:
                declared[column.name] = float(value)
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
        "loaded_at": utc_now(),
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
    row["file_size"], row["file_modified_at"] = ledger_fingerprint(outcome.fingerprint)
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


def record_once(connection, outcome: FileOutcome) -> None:
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
