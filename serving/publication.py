"""Publication: the marts and dimensions as their own DuckDB file plus Parquet snapshots, for
analysts and BI tools, swapped in atomically so no reader ever sees half a publication.

DuckDB allows one read-write process or many read-only ones on a file, never both (a reader
then fails with 'Could not set lock on file'):
readers never open the warehouse the pipeline writes. Each publication is built as a new file,
closed, then `os.replace`d over the published one; a reader that has the old file open keeps
reading it, the next one to open gets the new file. Parquet snapshots and the manifest are
swapped the same way, the manifest last: it describes what is published.

Nothing is swapped before everything is written and verified: the new database is
checkpointed and closed, then reopened to check that its tables and row counts are those of
the manifest, with no write-ahead log left beside it (a write that failed on close, a full
disk, would otherwise publish an empty file), and each Parquet snapshot is counted too.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from expectations.completeness import COMPLETENESS_MART, FILES_NOT_READ_MART
from sources.raw_tables import LEDGER

PUBLISHED_DATABASE = "roijai.duckdb"
PARQUET_FOLDER = "parquet"
MANIFEST = "manifest.json"
PUBLISHED_PREFIXES = ("mart_", "dim_")
COMPLETENESS_FIGURES = (
    "reports_expected",
    "reports_received",
    "reports_on_time",
    "reports_late",
    "reports_missing",
    "reporting_rate",
    "on_time_rate",
    "missing_since",
)  # the marts and dimensions; no raw, staging, restricted
# Files any DuckDB from 1.0 opens (BI drivers embed older DuckDBs than the pipeline's).
STORAGE_COMPATIBILITY = "v1.0.0"
TEMPORARY_SUFFIX = ".publishing"
# Readers are other accounts (analysts, a BI service): the publication is world-readable,
# whatever the pipeline's umask, and its parent folder lets them through (without listing it).
PUBLISHED_FILE_MODE = 0o644
PUBLISHED_FOLDER_MODE = 0o755
# How the pipeline's own readers (CSV export, the committee report) open the published file:
# read-only, and with no access to other files (the warehouse, the landing folder).
READER = {"enable_external_access": False}


@dataclass(frozen=True)
class PublishedPaths:
    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / PUBLISHED_DATABASE

    @property
    def parquet(self) -> Path:
        return self.folder / PARQUET_FOLDER

    @property
    def manifest(self) -> Path:
        return self.folder / MANIFEST


def _published_tables(connection: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    tables = connection.execute(
        "select table_name from duckdb_tables() "
        "where database_name = ? and schema_name = 'main' order by table_name",
        [database],
    ).fetchall()
    return [name for (name,) in tables if name.startswith(PUBLISHED_PREFIXES)]


def _source_files(connection: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = connection.execute(
        "select file_name, source_kind, file_sha256, loaded_at, rows_loaded "
        f"from warehouse.{LEDGER} where status = 'loaded' order by source_kind, file_name"
    ).fetchall()
    keys = ("file_name", "source_kind", "sha256", "loaded_at", "rows_loaded")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _records(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    relation = connection.sql(sql)
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def _completeness(connection: duckdb.DuckDBPyConnection, tables: list[str]) -> dict | None:
    """How complete the publication is, per source kind and province, as of the evaluation
    date, and the files whose data is missing: what a dashboard shows beside every number."""
    if COMPLETENESS_MART not in tables or FILES_NOT_READ_MART not in tables:
        return None
    figures = ", ".join(COMPLETENESS_FIGURES)
    rows = _records(
        connection,
        f"select rollup_level, source_kind, province_code, as_of_date, {figures} "
        f"from {COMPLETENESS_MART} where rollup_level in ('programme', 'province') "
        "order by source_kind, province_code nulls first",
    )
    sources: dict[str, dict] = {}
    for row in rows:
        values = {figure: row[figure] for figure in COMPLETENESS_FIGURES}
        if row["rollup_level"] == "programme":
            sources[row["source_kind"]] = {**values, "provinces": {}}
        else:
            sources[row["source_kind"]]["provinces"][row["province_code"]] = values
    files = _records(
        connection,
        "select source_kind, file_name, status, missing_since, sheet_names_not_read "
        f"from {FILES_NOT_READ_MART} order by source_kind, file_name",
    )
    return {
        "as_of": rows[0]["as_of_date"] if rows else None,
        "sources": sources,
        "files_not_read": files,
    }


def _money_totals(connection: duckdb.DuckDBPyConnection, table: str) -> dict[str, str | None]:
    """The sum of each money column (every DECIMAL column: baht, to the satang) of a table in
    the new database, as text: what a copy elsewhere (PostgreSQL) is checked against."""
    columns = [
        name
        for (name,) in connection.execute(
            "select column_name from duckdb_columns() where database_name = current_database() "
            "and schema_name = 'main' and table_name = ? and data_type like 'DECIMAL%' "
            "order by column_index",
            [table],
        ).fetchall()
    ]
    if not columns:
        return {}
    sums = connection.execute(
        f"select {', '.join(f'sum({column})' for column in columns)} from main.{table}"
    ).fetchone()
    return {
        column: None if total is None else str(total)
        for column, total in zip(columns, sums, strict=True)
    }


def _remove_leftovers(paths: PublishedPaths) -> None:
    """Temporary files (and their WAL) of a publication that was interrupted."""
    for folder in (paths.folder, paths.parquet):
        for leftover in folder.glob(f"*{TEMPORARY_SUFFIX}*"):
            leftover.unlink()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


class PublicationError(RuntimeError):
    """The new publication could not be written whole: nothing published has changed."""


def _build(
    warehouse_path: Path, paths: PublishedPaths, token: str
) -> tuple[dict, dict, list[dict], dict | None]:
    """Write the new database and Parquet files under temporary names; returns the row count
    and the money totals per table, the source files and the completeness."""
    config = {"storage_compatibility_version": STORAGE_COMPATIBILITY}
    with duckdb.connect(str(_temporary(paths.database, token)), config=config) as connection:
        connection.execute(f"attach '{_sql_path(warehouse_path)}' as warehouse (read_only)")
        tables = _published_tables(connection, "warehouse")
        for table in tables:
            connection.execute(f"create table main.{table} as select * from warehouse.main.{table}")
        source_files = _source_files(connection)
        connection.execute("detach warehouse")
        row_counts, money_totals = {}, {}
        for table in tables:
            row_counts[table] = connection.execute(f"select count(*) from {table}").fetchone()[0]
            money_totals[table] = _money_totals(connection, table)
            parquet = _temporary(paths.parquet / f"{table}.parquet", token)
            connection.execute(f"copy main.{table} to '{_sql_path(parquet)}' (format parquet)")
        completeness = _completeness(connection, tables)
        connection.execute("checkpoint")  # everything into the file itself, the WAL emptied
    return row_counts, money_totals, source_files, completeness


def _wal(database: Path) -> Path:
    return database.with_name(f"{database.name}.wal")


def _verify(paths: PublishedPaths, token: str, row_counts: dict[str, int]) -> None:
    """The closed new database and its Parquet files hold exactly the tables and rows counted
    while building them; raises PublicationError otherwise."""
    database = _temporary(paths.database, token)
    if _wal(database).exists():
        raise PublicationError("the new database left a write-ahead log: its last write failed")
    with duckdb.connect(str(database), read_only=True) as connection:
        (name,) = connection.execute("select current_database()").fetchone()
        tables = _published_tables(connection, name)
        found = {t: connection.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
        for table in row_counts:
            parquet = _temporary(paths.parquet / f"{table}.parquet", token)
            (rows,) = connection.execute(
                f"select count(*) from read_parquet('{_sql_path(parquet)}')"
            ).fetchone()
            if rows != row_counts[table]:
                raise PublicationError(
                    f"the Parquet snapshot of {table} holds {rows} rows, not {row_counts[table]}"
                )
    if found != row_counts:
        raise PublicationError(
            f"the new database holds {len(found)} tables ({sum(found.values())} rows), not the "
            f"{len(row_counts)} tables ({sum(row_counts.values())} rows) it was built with"
        )


def _temporary(path: Path, token: str) -> Path:
    return path.with_name(f".{path.name}.{token}{TEMPORARY_SUFFIX}")


def publish(warehouse_path: Path, paths: PublishedPaths, run_id: str, checks: dict) -> dict:
    """Publish the warehouse's marts and dimensions; returns the manifest written.

    `checks` is the check summary of the run that built them (it goes into the manifest).
    If building fails, nothing published changes.
    """
    paths.parquet.mkdir(parents=True, exist_ok=True)
    for folder in (paths.folder, paths.parquet):
        folder.chmod(PUBLISHED_FOLDER_MODE)
    parent = paths.folder.parent
    parent.chmod(parent.stat().st_mode | 0o111)  # others may pass through to the publication
    _remove_leftovers(paths)
    token = uuid.uuid4().hex
    try:
        row_counts, money_totals, source_files, completeness = _build(warehouse_path, paths, token)
        _verify(paths, token, row_counts)
        manifest = {
            "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "pipeline_run_id": run_id,
            "duckdb_version": duckdb.__version__,
            "storage_compatibility": STORAGE_COMPATIBILITY,
            "database": PUBLISHED_DATABASE,
            "tables": {
                table: {
                    "rows": rows,
                    "parquet": f"{PARQUET_FOLDER}/{table}.parquet",
                    "money_totals": money_totals[table],
                }
                for table, rows in row_counts.items()
            },
            "source_files": source_files,
            "completeness": completeness,
            "checks": checks,
        }
        _temporary(paths.manifest, token).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        for written in paths.folder.rglob(f"*{token}{TEMPORARY_SUFFIX}"):
            written.chmod(PUBLISHED_FILE_MODE)
    except BaseException:
        _remove_leftovers(paths)
        raise
    # Everything is written and verified: from here on only renames, the manifest last.
    # A WAL beside the published file (left by a process that opened it read-write) would be
    # replayed over the new file by every reader: it belongs to the old one.
    _wal(paths.database).unlink(missing_ok=True)
    os.replace(_temporary(paths.database, token), paths.database)
    for table in row_counts:
        target = paths.parquet / f"{table}.parquet"
        os.replace(_temporary(target, token), target)
    for snapshot in paths.parquet.glob("*.parquet"):
        if snapshot.stem not in row_counts:  # a table no longer published
            snapshot.unlink()
    os.replace(_temporary(paths.manifest, token), paths.manifest)
    return manifest


def read_manifest(paths: PublishedPaths) -> dict | None:
    if not paths.manifest.exists():
        return None
    return json.loads(paths.manifest.read_text(encoding="utf-8"))


def table_hashes(paths: PublishedPaths) -> dict[str, str]:
    """Per published table, a hash of all its rows and columns in sorted order: two
    publications with equal hashes publish the same data (the run's id and time are in the
    manifest only). Raises PublicationError when the database and the manifest disagree."""
    manifest = read_manifest(paths)
    if manifest is None:
        raise PublicationError(f"nothing is published in {paths.folder}")
    with duckdb.connect(str(paths.database), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from duckdb_tables() where schema_name = 'main' order by 1"
            ).fetchall()
        ]
        if set(tables) != set(manifest["tables"]):
            raise PublicationError(f"tables {tables} != the manifest's")
        hashes = {}
        for table in tables:
            rows = connection.execute(f"select * from main.{table}").fetchall()
            expected = manifest["tables"][table]["rows"]
            if len(rows) != expected:
                raise PublicationError(f"{table}: {len(rows)} rows, the manifest {expected}")
            text = "\n".join(sorted(repr(row) for row in rows))
            hashes[table] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return hashes
