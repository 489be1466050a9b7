"""What a trial compares: the published tables (hashed), the raw tables per source file, the
ledger, quality.pipeline_runs and the Dagster runs, read from a data folder and a Dagster home
after the pipeline's processes have ended."""

import fcntl
import json
import sqlite3
from pathlib import Path

import duckdb

from serving.publication import PublishedPaths, table_hashes

ACTIVE = ("QUEUED", "NOT_STARTED", "STARTING", "STARTED")


def published_hashes(published: Path) -> dict[str, str]:
    """The publication's table hashes (serving.publication.table_hashes); raises
    PublicationError when it is not whole. No column is left out: two clean runs of the same
    landing data publish identical tables."""
    return table_hashes(PublishedPaths(published))


def raw_counts(warehouse: Path) -> dict[str, int]:
    """Rows per raw table and source file, and the ledger's rows, as one comparable mapping."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select schema_name || '.' || table_name from duckdb_columns() "
            "where schema_name in ('raw', 'restricted') and column_name = 'file_sha256' "
            "and table_name <> 'ingest_ledger' order by 1"
        ).fetchall()
        counts = {}
        for (table,) in tables:
            for sha, rows in connection.execute(
                f"select file_sha256, count(*) from {table} group by 1"
            ).fetchall():
                counts[f"{table} {sha[:12]}"] = rows
        for sha, name, status, loaded, quarantined, entries in connection.execute(
            "select file_sha256, file_name, status, rows_loaded, rows_quarantined, count(*) "
            "over (partition by file_sha256, status) from raw.ingest_ledger"
        ).fetchall():
            counts[f"ledger {name} {status}"] = (sha[:12], loaded, quarantined, entries)
    return counts


def pipeline_runs(warehouse: Path) -> dict[str, tuple[str, bool, str]]:
    """quality.pipeline_runs: run id -> (status, published, message)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select run_id, status, published, message from quality.pipeline_runs"
        ).fetchall()
    return {run_id: (status, published, message) for run_id, status, published, message in rows}


def dagster_runs(home: Path) -> dict[str, tuple[str, str]]:
    """The Dagster instance's runs: run id -> (job, status), from its SQLite run storage."""
    database = home / "history" / "runs.db"
    if not database.exists():
        return {}
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute("select run_id, pipeline_name, status from runs").fetchall()
    return {run_id: (job, status) for run_id, job, status in rows}


def lock_is_free(lock_file: Path) -> bool:
    if not lock_file.exists():
        return True
    with lock_file.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def manifest(published: Path) -> dict | None:
    path = published / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
