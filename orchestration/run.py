"""`make run`: materialize every asset, run every check, conclude the run, publish it when no
blocking check failed, print a summary, exit non-zero on a failed run or blocking check.
The runs are recorded in $DAGSTER_HOME, so the UI shows them afterwards."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from expectations.completeness import COMPLETENESS_MART
from expectations.quality_tables import PIPELINE_RUNS, ensure_quality_tables
from expectations.results import CheckRecord, describe_counts, status_counts
from orchestration.conclude import conclude_pipeline_run, root_cause
from orchestration.definitions import build_definitions
from orchestration.names import (
    COMMITTEE_REPORT_ASSET,
    LAUNCHED_BY_TAG,
    MAKE_RUN,
    PIPELINE_JOB,
    PIPELINE_RUN_TAG,
    POSTGRES_PUBLISHED_ASSET,
    PUBLISH_JOB,
    PUBLISHED_ASSET,
)
from orchestration.run_state import ACTIVE_STATUSES, LOCK_FILE, make_run_lock
from serving.postgres_publication import describe_server
from serving.publication import PublishedPaths, read_manifest
from serving.run_decision import RunDecision
from sources.pseudonymize import MissingKeyError, load_key
from sources.raw_tables import LEDGER, LOADED_STATUSES, QUARANTINE, SHEETS
from sources.settings import Settings, settings_shared_with_dbt

WAREHOUSE_SCHEMAS = ("raw", "restricted", "reference", "main", "quality")
SUMMARY_DETAIL_LINES = 4
RECENT_RUNS = 20  # the runs of make run looked at for one never recorded
ABANDONED = (
    "the process of this run ended without finishing it (killed, out of memory or a power "
    "cut); marked failed when make run started again"
)


@dataclass(frozen=True)
class PipelineOutcome:
    result: dg.ExecuteInProcessResult  # of the pipeline job
    decision: RunDecision
    published: bool
    publication_error: str | None = None  # why a publishable run was not published
    postgres_error: str | None = None  # why its copy into PostgreSQL failed (it is published)
    report_folder: str | None = None  # the committee report rendered from the publication
    report_error: str | None = None  # why it was not

    @property
    def success(self) -> bool:
        return self.result.success

    @property
    def run_id(self) -> str:
        return self.result.run_id


def run_pipeline(settings: Settings, instance: dg.DagsterInstance) -> PipelineOutcome:
    """Run the pipeline job, conclude it, and publish it if it may be published."""
    definitions = build_definitions(settings)
    result = definitions.resolve_job_def(PIPELINE_JOB).execute_in_process(
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        instance=instance,
        raise_on_error=False,
        tags={LAUNCHED_BY_TAG: MAKE_RUN},
    )
    asset_graph = definitions.resolve_asset_graph()
    decision = conclude_pipeline_run(instance, result.run_id, asset_graph, settings)
    if not decision.publishable:
        return PipelineOutcome(result, decision, published=False)
    return PipelineOutcome(result, decision, **publish_run(definitions, instance, result.run_id))


def publish_run(
    definitions: dg.Definitions, instance: dg.DagsterInstance, pipeline_run_id: str
) -> dict[str, bool | str | None]:
    """Run the publish job for a pipeline run: the publication fields of its PipelineOutcome
    (whether it is published and why not; why its copy into PostgreSQL failed and where the
    committee's report is, or why it was not made: neither undoes the publication)."""
    publication = definitions.resolve_job_def(PUBLISH_JOB).execute_in_process(
        instance=instance,
        raise_on_error=False,
        tags={PIPELINE_RUN_TAG: pipeline_run_id, LAUNCHED_BY_TAG: MAKE_RUN},
    )
    failures = {
        event.step_key: root_cause(event.event_specific_data.error)
        for event in publication.all_events
        if event.is_step_failure
    }
    published = publication.is_node_success(PUBLISHED_ASSET)
    outcome = {
        "published": published,
        "publication_error": None
        if published
        else failures.get(PUBLISHED_ASSET, "the publication job failed"),
        "postgres_error": failures.get(POSTGRES_PUBLISHED_ASSET),
    }
    if published and publication.is_node_success(COMMITTEE_REPORT_ASSET):
        (materialization,) = publication.asset_materializations_for_node(COMMITTEE_REPORT_ASSET)
        outcome["report_folder"] = materialization.metadata["folder"].value
    elif published:
        outcome["report_error"] = failures.get(
            COMMITTEE_REPORT_ASSET, "the committee report was not made (its step did not run)"
        )
    return outcome


def table_row_counts(settings: Settings) -> list[tuple[str, int]]:
    with settings.connect(read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ? order by 1, 2",
            [list(WAREHOUSE_SCHEMAS)],
        ).fetchall()
        return [
            (
                f"{schema}.{name}",
                connection.execute(f"select count(*) from {schema}.{name}").fetchone()[0],
            )
            for schema, name in tables
        ]


def ingest_summary(settings: Settings) -> list[str]:
    """Files by status and quarantined rows, from the ingest ledger."""
    with settings.connect(read_only=True) as connection:
        statuses = connection.execute(
            f"select status, count(*), coalesce(sum(rows_quarantined), 0) from {LEDGER} "
            "group by status order by status"
        ).fetchall()
        failed = connection.execute(
            f"select error, cast(coalesce(first_seen_at, loaded_at) as date) from {LEDGER} "
            "where status = 'failed' order by file_name"
        ).fetchall()
        unread = connection.execute(
            f"select file_name, sheet, non_blank_rows, reason from {SHEETS} where "
            f"status = 'ignored' and holds_table and file_sha256 in (select file_sha256 from "
            f"{LEDGER} where status = 'partial') order by file_name, sheet_position"
        ).fetchall()
    files = ", ".join(f"{count} {status}" for status, count, _ in statuses) or "none"
    quarantined = sum(q for status, _, q in statuses if status in LOADED_STATUSES)
    lines = [f"Files: {files}; rows in quarantine: {quarantined:,} (see {QUARANTINE})"]
    lines += [f"  failed file (since {since}): {error}" for error, since in failed]
    lines += [
        f"  partial file: {name}, sheet {sheet!r} ({rows:,} non-blank rows) NOT read: {reason}"
        for name, sheet, rows, reason in unread
    ]
    return lines


def completeness_lines(settings: Settings) -> list[str]:
    """Per source kind, the reports due by the evaluation date and what arrived of them."""
    with settings.connect(read_only=True) as connection:
        built = connection.execute(
            "select count(*) from duckdb_tables() where schema_name = 'main' and table_name = ?",
            [COMPLETENESS_MART],
        ).fetchone()[0]
        if not built:
            return []
        rows = connection.execute(
            "select source_kind, as_of_date, reports_expected, reports_received, "
            "reports_on_time, reports_missing, reports_not_yet_due, missing_since "
            f"from {COMPLETENESS_MART} where rollup_level = 'programme' order by source_kind"
        ).fetchall()
    if not rows:
        return []
    lines = [f"Reports due by {rows[0][1]} (see {COMPLETENESS_MART}):"]
    for kind, _, due, received, on_time, missing, later, since in rows:
        line = f"  {kind:<9} {received:,} of {due:,} received"
        if due:
            line += f" ({received / due:.0%}), {on_time:,} on time ({on_time / due:.0%})"
        if missing:
            line += f"; {missing:,} MISSING, since {since}"
        if later:
            line += f"; {later:,} not due yet"
        lines.append(line)
    return lines


def check_lines(records: list[CheckRecord], report: Path) -> list[str]:
    """Counts by outcome, then each failed or not-run check with its first details."""
    lines = ["Checks: " + describe_counts(status_counts(records))]
    for record in records:
        if record.passed is not True:
            lines.append(f"  {record.status.upper()} {record.asset_key} {record.check_name}")
            details = record.details.splitlines()
            lines += [f"      {line}" for line in details[:SUMMARY_DETAIL_LINES]]
            if len(details) > SUMMARY_DETAIL_LINES:
                lines.append("      ... (all examples in the report)")
    lines.append(f"Quality report: {report}")
    return lines


def publication_lines(outcome: PipelineOutcome, settings: Settings) -> list[str]:
    paths = PublishedPaths(settings.published_dir)
    if outcome.published:
        line = f"Published: {paths.database} (and {paths.parquet}, {paths.manifest})"
        if not outcome.decision.green:
            line += "; INCOMPLETE: what is missing is in the manifest's completeness"
        if outcome.report_folder:
            report = f"Committee report: {outcome.report_folder} (report.html, .pdf, .xlsx)"
        else:
            report = f"Committee report NOT made: {outcome.report_error}; the publication stands"
        return [line, report, *postgres_lines(outcome, settings)]
    manifest = read_manifest(paths)
    kept = (
        f"the last good publication stays ({manifest['published_at']}, "
        f"run {manifest['pipeline_run_id']})"
        if manifest
        else "nothing has been published yet"
    )
    reason = (
        f"the publication failed: {outcome.publication_error}"
        if outcome.publication_error
        else outcome.decision.message
    )
    return [f"NOT published: {reason}; {kept}"]


def postgres_lines(outcome: PipelineOutcome, settings: Settings) -> list[str]:
    """Where the publication was copied in PostgreSQL, or why the copy failed."""
    if settings.postgres is None:
        return []
    where = (
        f"PostgreSQL {describe_server(settings.postgres.url)}, schema {settings.postgres.schema}"
    )
    if outcome.postgres_error:
        return [
            f"PostgreSQL copy FAILED ({where}): {outcome.postgres_error}; the DuckDB publication "
            "stands, PostgreSQL keeps its previous publication"
        ]
    return [f"Copied to {where} (read-only role {settings.postgres.reader_role})"]


def warehouse_lines(settings: Settings) -> list[str]:
    """Rows per table, files and reports due, from the warehouse; a line saying why instead
    when it cannot be read (another process holds it open read-write)."""
    try:
        lines = ["Rows per table:"]
        lines += [f"  {name:<40} {count:>8,}" for name, count in table_row_counts(settings)]
        return lines + ingest_summary(settings) + completeness_lines(settings)
    except duckdb.Error as error:
        return [f"The warehouse could not be read for this summary ({type(error).__name__}): "
                "is another process holding it open?"]  # fmt: skip


def summary(outcome: PipelineOutcome, settings: Settings) -> str:
    result = outcome.result
    if not result.success:
        verdict = "FAILED"
    elif outcome.postgres_error:
        verdict = "published, but its PostgreSQL copy FAILED (below)"
    elif outcome.published and not outcome.decision.green:
        verdict = "INCOMPLETE: what passed is published, what is due and missing is listed below"
    else:
        verdict = "succeeded" if outcome.decision.green else "FAILED its checks"
    lines = ["", f"Roi Jai Rak pipeline: {verdict}"]
    if settings.duckdb_path.exists():
        lines += warehouse_lines(settings)
    lines += check_lines(outcome.decision.records, settings.report_path)
    for event in result.all_events:
        if event.is_step_failure:
            cause = root_cause(event.event_specific_data.error)
            lines.append(f"  step failed: {event.step_key}: {cause}")
    lines += publication_lines(outcome, settings)
    lines.append(f"Warehouse: {settings.duckdb_path}")
    return "\n".join(lines)


def fail_abandoned_runs(instance: dg.DagsterInstance, settings: Settings) -> list[str]:
    """Runs of make run still marked active while this process holds make run's lock: their
    process is gone (killed, out of memory, a power cut). Each is marked failed, saying so, and
    concluded like any failed run (quality.pipeline_runs, the alert); returns their ids."""
    abandoned = instance.get_runs(
        filters=dg.RunsFilter(statuses=ACTIVE_STATUSES, tags={LAUNCHED_BY_TAG: MAKE_RUN})
    )
    if not abandoned:
        return []
    asset_graph = build_definitions(settings).resolve_asset_graph()
    for run in abandoned:
        instance.report_run_failed(run, message=ABANDONED)
        if run.job_name == PIPELINE_JOB:
            conclude_pipeline_run(instance, run.run_id, asset_graph, settings)
    return [run.run_id for run in abandoned]


def conclude_unrecorded_runs(instance: dg.DagsterInstance, settings: Settings) -> list[str]:
    """Pipeline runs of make run that ended but are not in quality.pipeline_runs: their
    conclusion could not be written (a full disk). Each is concluded now; returns their ids."""
    ended = instance.get_runs(
        filters=dg.RunsFilter(
            job_name=PIPELINE_JOB,
            statuses=[dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE],
            tags={LAUNCHED_BY_TAG: MAKE_RUN},
        ),
        limit=RECENT_RUNS,
    )
    if not ended or not settings.duckdb_path.exists():
        return []
    with settings.connect() as connection:
        ensure_quality_tables(connection)
        recorded = {run_id for (run_id,) in connection.execute(
            f"select run_id from {PIPELINE_RUNS}").fetchall()}  # fmt: skip
    unrecorded = [run for run in ended if run.run_id not in recorded]
    if unrecorded:
        asset_graph = build_definitions(settings).resolve_asset_graph()
        for run in unrecorded:
            conclude_pipeline_run(instance, run.run_id, asset_graph, settings)
    return [run.run_id for run in unrecorded]


def main() -> int:
    settings = settings_shared_with_dbt()
    if not settings.landing_dir.is_dir():
        print(
            f"landing folder {settings.landing_dir} does not exist: set ROIJAI_LANDING_DIR to "
            "the folder agencies deliver to (with register/, survey/, agency/, plans/)",
            file=sys.stderr,
        )
        return 2
    if not any(path.is_file() for path in settings.landing_dir.rglob("*")):
        print(
            f"landing folder {settings.landing_dir} has no files: nothing new to ingest; "
            "the warehouse is rebuilt and checked from what it already holds",
            file=sys.stderr,
        )
    # The lock first: before a key file is generated or a Dagster instance creates its storage.
    with make_run_lock(settings.data_dir) as held:
        if not held:
            print(
                f"another make run is running on {settings.data_dir} (it holds "
                f"{settings.data_dir / LOCK_FILE}): DuckDB has one writer, wait for it",
                file=sys.stderr,
            )
            return 3
        return _run_locked(settings)


def _run_locked(settings: Settings) -> int:
    try:
        load_key(settings.data_dir, may_generate=settings.uses_sample)
    except MissingKeyError as error:
        print(error, file=sys.stderr)
        return 2
    if os.environ.get("DAGSTER_HOME"):
        instance = dg.DagsterInstance.get()
    else:
        instance = dg.DagsterInstance.ephemeral()
    with instance:
        for run_id in fail_abandoned_runs(instance, settings):
            print(f"run {run_id} was left unfinished by make run: marked failed", file=sys.stderr)
        for run_id in conclude_unrecorded_runs(instance, settings):
            print(f"run {run_id} had not been recorded (a full disk?): recorded", file=sys.stderr)
        active = instance.get_runs(filters=dg.RunsFilter(statuses=ACTIVE_STATUSES), limit=1)
        if active:
            print(
                f"run {active[0].run_id} ({active[0].job_name}) is {active[0].status.value} in "
                "the Dagster daemon's queue: DuckDB has one writer, wait for it (make status), or "
                "terminate it in the UI if it is stale",
                file=sys.stderr,
            )
            return 3
        outcome = run_pipeline(settings, instance)
    print(summary(outcome, settings))
    made = outcome.published and outcome.report_folder and not outcome.postgres_error
    return 0 if outcome.decision.green and made else 1


if __name__ == "__main__":
    sys.exit(main())
