"""The warehouse tables the ingest writes, defined in one place: the raw tables of every
source contract (and their restricted twins for sensitive answers, PDPA s.26), and the ledgers
that say what became of every landing file, sheet, totals row and quarantined row.
"""

from __future__ import annotations

from sources.contracts import SourceContract, TableContract
from sources.sql import ensure_table
from sources.transform import LINEAGE_COLUMNS, table_columns

RAW_SCHEMA = "raw"
RESTRICTED_SCHEMA = "restricted"
LEDGER = f"{RAW_SCHEMA}.ingest_ledger"
SHEETS = f"{RAW_SCHEMA}.ingest_sheets"
QUARANTINE = f"{RAW_SCHEMA}.ingest_quarantine"
CONTROL_TOTALS = f"{RAW_SCHEMA}.ingest_control_totals"

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
    # the file's size and modification time (UTC, to the microsecond) as it was read: while both
    # stay the same, a later run takes it as unchanged without reading it again (sources/ingest.py)
    "file_size": "bigint",
    "file_modified_at": "timestamp",
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


def ensure_tables(connection, contract: SourceContract) -> None:
    """Create the ledgers, quarantine and raw tables; add columns a contract gained since."""
    for schema in (RAW_SCHEMA, RESTRICTED_SCHEMA):
        connection.execute(f"create schema if not exists {schema}")
    ensure_table(connection, LEDGER, LEDGER_COLUMNS)
    ensure_table(connection, SHEETS, SHEET_COLUMNS)
    ensure_table(connection, QUARANTINE, QUARANTINE_COLUMNS)
    ensure_table(connection, CONTROL_TOTALS, CONTROL_TOTAL_COLUMNS)
    for table in contract.tables:
        ensure_table(connection, raw_table(table), raw_columns(table))
        if restricted_columns(table):
            ensure_table(connection, restricted_table(table), restricted_table_columns(table))


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
