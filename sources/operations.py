"""The pipeline's own log, where the data team looks: one row per finished pipeline run in
quality.pipeline_runs, the rows loaded per source kind at the end of each run in
quality.source_volumes (a drop since the last successful run is checked), and an optional
webhook (ROIJAI_ALERT_WEBHOOK_URL) told of failures.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from dataclasses import asdict, dataclass
from datetime import datetime

import duckdb

from sources.ingest import LEDGER, LOADED_SQL

PIPELINE_RUNS = "quality.pipeline_runs"
PIPELINE_RUNS_COLUMNS = {
    "run_id": "varchar",
    "job_name": "varchar",
    "status": "varchar",  # success or failure
    "started_at": "timestamp",
    "finished_at": "timestamp",
    "checks_failed_error": "integer",
    "checks_failed_warn": "integer",
    "published": "boolean",
    "message": "varchar",
}
SOURCE_VOLUMES = "quality.source_volumes"
SOURCE_VOLUMES_COLUMNS = {
    "run_id": "varchar",
    "source_kind": "varchar",
    "files_loaded": "integer",
    "rows_loaded": "bigint",
}
WEBHOOK_VARIABLE = "ROIJAI_ALERT_WEBHOOK_URL"
WEBHOOK_TIMEOUT_SECONDS = 10

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PipelineRun:
    run_id: str
    job_name: str
    status: str
    started_at: datetime | None
    finished_at: datetime | None
    checks_failed_error: int
    checks_failed_warn: int
    published: bool
    message: str


def ensure_run_log(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the run log's tables, so that a check can read them from the first run on."""
    connection.execute(f"create schema if not exists {PIPELINE_RUNS.split('.')[0]}")
    for table, columns in (
        (PIPELINE_RUNS, PIPELINE_RUNS_COLUMNS),
        (SOURCE_VOLUMES, SOURCE_VOLUMES_COLUMNS),
    ):
        ddl = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        connection.execute(f"create table if not exists {table} ({ddl})")


def record_pipeline_run(connection: duckdb.DuckDBPyConnection, run: PipelineRun) -> None:
    """Insert or replace the run's row and its source volumes (a run concluded twice keeps
    one row each)."""
    ensure_run_log(connection)
    connection.execute("begin transaction")
    for table in (PIPELINE_RUNS, SOURCE_VOLUMES):
        connection.execute(f"delete from {table} where run_id = ?", [run.run_id])
    values = list(asdict(run).values())
    placeholders = ", ".join("?" for _ in values)
    connection.execute(f"insert into {PIPELINE_RUNS} values ({placeholders})", values)
    (has_ledger,) = connection.execute(
        "select count(*) from duckdb_tables() where schema_name || '.' || table_name = ?", [LEDGER]
    ).fetchone()
    if has_ledger:
        connection.execute(
            f"insert into {SOURCE_VOLUMES} select ?, source_kind, count(*), sum(rows_loaded) "
            f"from {LEDGER} where {LOADED_SQL} group by source_kind",
            [run.run_id],
        )
    connection.execute("commit")


def alert(run: PipelineRun, url: str | None = None) -> bool:
    """POST the failed run as JSON to the webhook, if one is configured. Never raises: an
    unreachable webhook is logged, and the run's own outcome stands."""
    url = url or os.environ.get(WEBHOOK_VARIABLE)
    if not url:
        return False
    payload = {
        "text": f"Roi Jai Rak pipeline run {run.run_id} {run.status}: {run.message}",
        **asdict(run),
    }
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS):
            return True
    except OSError as error:
        logger.warning("could not post the run failure to %s: %s", WEBHOOK_VARIABLE, error)
        return False
