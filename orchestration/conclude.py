"""What happens when a pipeline run ends, however it was started (make run, the schedule, the
landing sensor, the UI): its checks are recorded, the run is logged in quality.pipeline_runs,
a failure is sent to the webhook. The run is publishable if it succeeded and no check that
blocks publication failed; it is green only if, besides, no check of severity error failed at
all: an error about what is missing (a report due, a file not read) publishes what passed and
still fails the run, saying what is missing."""

from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
import duckdb
from dagster._core.events import DagsterEventType

from expectations.results import (
    CheckRecord,
    blocking_failures,
    blocks_publication,
    error_failures,
    missing_failures,
)
from orchestration.check_records import record_run_checks
from sources.operations import PipelineRun, alert, record_pipeline_run
from sources.settings import Settings


@dataclass(frozen=True)
class Conclusion:
    run: PipelineRun
    records: list[CheckRecord]

    @property
    def publishable(self) -> bool:
        """Succeeded, its checks recorded, none that blocks publication failed."""
        return self.run.status == "success" and not blocks_publication(self.records)

    @property
    def green(self) -> bool:
        """Publishable, and no check of severity error failed: nothing due is missing."""
        return self.publishable and not error_failures(self.records)


def _timestamp(seconds: float | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None) if seconds else None


def root_cause(error) -> str:
    """The message of the innermost error: Dagster wraps the step's exception in its own."""
    if error is None:
        return "unknown error"
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def _first_step_failure(instance: dg.DagsterInstance, run_id: str) -> str:
    failures = instance.get_records_for_run(
        run_id, of_type=DagsterEventType.STEP_FAILURE, limit=1
    ).records
    if not failures:
        return "the run failed before any step ran"
    event = failures[0].event_log_entry.dagster_event
    return f"step {event.step_key} failed: {root_cause(event.event_specific_data.error)}"


def conclude_pipeline_run(
    instance: dg.DagsterInstance, run_id: str, asset_graph, settings: Settings
) -> Conclusion:
    record = instance.get_run_record_by_id(run_id)
    succeeded = record.dagster_run.status == dg.DagsterRunStatus.SUCCESS
    records, unrecorded = [], None
    if settings.duckdb_path.exists():
        try:
            started_at = _timestamp(record.start_time) or datetime.now(UTC).replace(tzinfo=None)
            records = record_run_checks(instance, run_id, started_at, asset_graph, settings)
        except duckdb.Error as error:  # e.g. a stray process holds the warehouse: still alert
            unrecorded = error
    blocking = blocking_failures(records)
    missing = missing_failures(records)
    if not succeeded:
        message = _first_step_failure(instance, run_id)
    elif unrecorded:
        message = f"its checks could not be recorded in the warehouse: {unrecorded}"
    elif blocking:
        message = f"{len(blocking)} blocking check(s) failed: " + ", ".join(
            f"{r.asset_key} {r.check_name}" for r in blocking[:5]
        )
    elif missing:
        message = f"{len(missing)} check(s) of what is due failed, what passed is published: " + (
            "; ".join(f"{r.asset_key} {r.check_name}" for r in missing[:5])
        )
    else:
        message = "all checks of severity error passed"
    run = PipelineRun(
        run_id=run_id,
        job_name=record.dagster_run.job_name,
        status="success" if succeeded else "failure",
        started_at=_timestamp(record.start_time),
        finished_at=_timestamp(record.end_time),
        checks_failed_error=len(error_failures(records)),
        checks_failed_warn=sum(r.status == "failed (warn)" for r in records),
        published=False,
        message=message,
    )
    if settings.duckdb_path.exists() and not unrecorded:
        with settings.connect() as connection:
            record_pipeline_run(connection, run)
    conclusion = Conclusion(run, records)
    if not conclusion.green:
        alert(run)
    return conclusion
