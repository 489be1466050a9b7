"""The pipeline on its own: jobs, the daily schedule, the landing-folder sensor, and the run
sensors that conclude each pipeline run and start the publication.

Runs never overlap (dagster.yaml allows one run at a time): DuckDB has one writer.
"""

import hashlib
import json
from pathlib import Path

import dagster as dg

from orchestration.conclude import conclude_pipeline_run
from orchestration.names import (
    LAUNCHED_BY_TAG,
    MAKE_RUN,
    PIPELINE_JOB,
    PIPELINE_RUN_TAG,
    PUBLISH_JOB,
    PUBLISHED_ASSET,
)
from orchestration.resources import LandingResource
from sources.landing import LandingState, scan_landing
from sources.settings import Settings, settle_seconds

# Every step is retried on an exception (a lock held by a stray process, a full disk just
# freed). Data problems are failed checks, not exceptions: they are never retried.
TRANSIENT_RETRIES = dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL)
# The publication and what is made from it (its PostgreSQL copy, the committee report)
PUBLICATION = dg.AssetSelection.assets(PUBLISHED_ASSET).downstream()


pipeline_job = dg.define_asset_job(
    PIPELINE_JOB,
    selection=dg.AssetSelection.all() - PUBLICATION,
    op_retry_policy=TRANSIENT_RETRIES,
    description="Ingest the landing folder, build the warehouse, run every check.",
)

publish_job = dg.define_asset_job(
    PUBLISH_JOB,
    selection=PUBLICATION,
    description="Publish the marts and dimensions of a pipeline run whose blocking checks "
    "passed, copy them into PostgreSQL when ROIJAI_POSTGRES_URL is set, and render the "
    "committee's report from the publication.",
)

daily_run = dg.ScheduleDefinition(
    name="daily_at_0600_bangkok",
    job_name=PIPELINE_JOB,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Bangkok",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 06:00 Bangkok time, whatever arrived.",
)


@dg.sensor(
    job_name=PIPELINE_JOB,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a run when a new or changed file lands; never twice for one content.",
)
def landing_files(context: dg.SensorEvaluationContext, landing: LandingResource):
    landing_dir = Path(landing.landing_dir)
    if not landing_dir.is_dir():
        return dg.SkipReason(f"landing folder {landing_dir} does not exist")
    state = LandingState.from_json(json.loads(context.cursor) if context.cursor else None)
    scan = scan_landing(landing_dir, state, settle_seconds(landing_dir))
    context.update_cursor(json.dumps(scan.state.to_json()))
    if not scan.files_present:
        return dg.SkipReason(f"landing folder {landing_dir} has no files")
    if not scan.new_files:
        return dg.SkipReason(f"no new or changed file among {scan.files_present}")
    hashes = sorted(scan.new_files.values())
    run_key = (
        hashes[0] if len(hashes) == 1 else hashlib.sha256("".join(hashes).encode()).hexdigest()
    )
    return dg.RunRequest(
        run_key=run_key,
        tags={"roijai/new_files": ", ".join(sorted(scan.new_files))[:1000]},
    )


def _to_conclude(run: dg.DagsterRun) -> bool:
    """Pipeline runs, except those of make run, which concludes and publishes its own."""
    return run.job_name == PIPELINE_JOB and run.tags.get(LAUNCHED_BY_TAG) != MAKE_RUN


def build_run_sensors(settings: Settings) -> list[dg.SensorDefinition]:
    """The sensors that conclude each pipeline run, with the settings of the definitions."""

    @dg.run_status_sensor(
        name="publish_after_pipeline",
        run_status=dg.DagsterRunStatus.SUCCESS,
        request_job=publish_job,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Records a finished pipeline run's checks; publishes it if none blocks.",
    )
    def publish_after_pipeline(context: dg.RunStatusSensorContext):
        run = context.dagster_run
        if not _to_conclude(run):
            return dg.SkipReason(f"run {run.run_id} of {run.job_name} is not concluded here")
        asset_graph = context.repository_def.asset_graph
        decision = conclude_pipeline_run(context.instance, run.run_id, asset_graph, settings)
        if not decision.publishable:
            return dg.SkipReason(f"not published: {decision.message}")
        return dg.RunRequest(run_key=run.run_id, tags={PIPELINE_RUN_TAG: run.run_id})

    @dg.run_failure_sensor(
        name="record_failed_pipeline",
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Records a failed pipeline run in quality.pipeline_runs and alerts the "
        "webhook.",
    )
    def record_failed_pipeline(context: dg.RunFailureSensorContext):
        run = context.dagster_run
        if _to_conclude(run):
            asset_graph = context.repository_def.asset_graph
            conclude_pipeline_run(context.instance, run.run_id, asset_graph, settings)

    return [publish_after_pipeline, record_failed_pipeline]
