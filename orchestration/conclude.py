"""What happens when a pipeline run ends, however it was started (make run, the schedule, the
landing sensor, the UI): its checks are recorded, the run's decision is taken
(serving/run_decision.py), the quality report and quality.pipeline_runs say it, and a run
that is not green is sent to the webhook. The publication reads the same decision."""

import logging
from datetime import UTC, datetime

import dagster as dg
import duckdb
from dagster._core.events import DagsterEventType

from expectations.report import render_report
from orchestration.check_records import record_run_checks
from serving.run_decision import RunDecision, decide
from serving.run_log import PipelineRun, alert, record_pipeline_run
from sources.settings import Settings

logger = logging.getLogger(__name__)


def _timestamp(seconds: float | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None) if seconds else None


def root_cause(error) -> str:
    """The message of the innermost error: Dagster wraps the step's exception in its own."""
    if error is None:
        return "unknown error"
    while error.cause is not None:
        error = error.cause
    message = error.message.strip()
    if error.cls_name == "Failure":  # a dg.Failure of ours: its description says it all
        message = message.split(": ", 1)[-1]
    return message


def failure_reason(instance: dg.DagsterInstance, run_id: str) -> str:
    """Why a failed run failed: its first failed step, else the run's own failure message."""
    failures = instance.get_records_for_run(
        run_id, of_type=DagsterEventType.STEP_FAILURE, limit=1
    ).records
    if not failures:  # the run failed as a whole: its own failure message says why
        run_failures = instance.get_records_for_run(
            run_id, of_type=DagsterEventType.RUN_FAILURE, limit=1
        ).records
        message = run_failures[0].event_log_entry.dagster_event.message if run_failures else None
        return message or "the run failed before any step ran"
    event = failures[0].event_log_entry.dagster_event
    return f"step {event.step_key} failed: {root_cause(event.event_specific_data.error)}"


def conclude_pipeline_run(
    instance: dg.DagsterInstance, run_id: str, asset_graph, settings: Settings
) -> RunDecision:
    record = instance.get_run_record_by_id(run_id)
    succeeded = record.dagster_run.status == dg.DagsterRunStatus.SUCCESS
    started_at = _timestamp(record.start_time) or datetime.now(UTC).replace(tzinfo=None)
    records, unrecorded = [], None
    if settings.duckdb_path.exists():
        try:
            with settings.connect() as connection:
                records = record_run_checks(instance, run_id, started_at, asset_graph, connection)
        except duckdb.Error as error:  # e.g. a stray process holds the warehouse: still alert
            unrecorded = str(error)
    step_failure = None if succeeded else failure_reason(instance, run_id)
    decision = decide(records, step_failure, unrecorded)
    try:
        settings.report_path.parent.mkdir(parents=True, exist_ok=True)
        settings.report_path.write_text(
            render_report(run_id, started_at, records, decision.verdict), encoding="utf-8"
        )
    except OSError as error:  # a full disk: the run is still recorded if it can be, and alerted
        logger.warning("the quality report could not be written: %s", error)
    run = PipelineRun.of(
        run_id,
        record.dagster_run.job_name,
        _timestamp(record.start_time),
        _timestamp(record.end_time),
        decision,
    )
    if settings.duckdb_path.exists() and unrecorded is None:
        with settings.connect() as connection:
            record_pipeline_run(connection, run)
    if not decision.green:
        alert(run)
    return decision
