"""The pipeline's own log, where the data team looks: one row per concluded pipeline run in
quality.pipeline_runs (with its decision), the rows loaded per source kind at the end of each
run in quality.source_volumes (a drop since the last successful run is checked), and an
optional webhook (ROIJAI_ALERT_WEBHOOK_URL) told of a run that is not green.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from dataclasses import asdict, dataclass
from datetime import datetime

import duckdb

from expectations.quality_tables import PIPELINE_RUNS, SOURCE_VOLUMES, ensure_quality_tables
from serving.run_decision import RunDecision
from sources.raw_tables import LEDGER, LOADED_SQL

WEBHOOK_VARIABLE = "ROIJAI_ALERT_WEBHOOK_URL"
WEBHOOK_TIMEOUT_SECONDS = 10

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PipelineRun:
    """A row of quality.pipeline_runs."""

    run_id: str
    job_name: str
    status: str  # success or failure
    started_at: datetime | None
    finished_at: datetime | None
    checks_failed_error: int
    checks_failed_warn: int
    publishable: bool
    published: bool
    message: str

    @classmethod
    def of(
        cls,
        run_id: str,
        job_name: str,
        started_at: datetime | None,
        finished_at: datetime | None,
        decision: RunDecision,
    ) -> PipelineRun:
        return cls(
            run_id=run_id,
            job_name=job_name,
            status="success" if decision.succeeded else "failure",
            started_at=started_at,
            finished_at=finished_at,
            checks_failed_error=decision.checks_failed_error,
            checks_failed_warn=decision.checks_failed_warn,
            publishable=decision.publishable,
            published=False,
            message=decision.message,
        )


def record_pipeline_run(connection: duckdb.DuckDBPyConnection, run: PipelineRun) -> None:
    """Insert or replace the run's row and its source volumes (a run concluded twice keeps
    one row each)."""
    ensure_quality_tables(connection)
    connection.execute("begin transaction")
    for table in (PIPELINE_RUNS, SOURCE_VOLUMES):
        connection.execute(f"delete from {table} where run_id = ?", [run.run_id])
    row = asdict(run)
    connection.execute(
        f"insert into {PIPELINE_RUNS} ({', '.join(row)}) values ({', '.join('?' for _ in row)})",
        list(row.values()),
    )
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


def recorded_decision(connection: duckdb.DuckDBPyConnection, run_id: str) -> tuple[bool, str]:
    """Whether the run was found publishable when it was concluded, and why."""
    ensure_quality_tables(connection)
    row = connection.execute(
        f"select coalesce(publishable, false), message from {PIPELINE_RUNS} where run_id = ?",
        [run_id],
    ).fetchone()
    return (row[0], row[1]) if row else (False, "the run has not been concluded")


def mark_published(connection: duckdb.DuckDBPyConnection, run_id: str) -> None:
    connection.execute(f"update {PIPELINE_RUNS} set published = true where run_id = ?", [run_id])


def alert(run: PipelineRun, url: str | None = None) -> bool:
    """POST the run as JSON to the webhook, if one is configured. Never raises: an unreachable
    webhook is logged, and the run's own outcome stands."""
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
