"""The pipeline's own log, where the data team looks: one row per finished pipeline run in
quality.pipeline_runs, and an optional webhook (ROIJAI_ALERT_WEBHOOK_URL) told of failures.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from dataclasses import asdict, dataclass
from datetime import datetime

import duckdb

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


def record_pipeline_run(connection: duckdb.DuckDBPyConnection, run: PipelineRun) -> None:
    """Insert or replace the run's row (a run concluded twice keeps one row)."""
    columns = ", ".join(f"{name} {kind}" for name, kind in PIPELINE_RUNS_COLUMNS.items())
    connection.execute(f"create schema if not exists {PIPELINE_RUNS.split('.')[0]}")
    connection.execute(f"create table if not exists {PIPELINE_RUNS} ({columns})")
    connection.execute("begin transaction")
    connection.execute(f"delete from {PIPELINE_RUNS} where run_id = ?", [run.run_id])
    values = list(asdict(run).values())
    placeholders = ", ".join("?" for _ in values)
    connection.execute(f"insert into {PIPELINE_RUNS} values ({placeholders})", values)
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
