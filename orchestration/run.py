"""`make run`: materialize every asset, run every check, print a summary, exit non-zero on a
failed blocking check. The run is recorded in $DAGSTER_HOME, so the UI shows it afterwards."""

import os
import sys

import dagster as dg
import duckdb

from orchestration.definitions import build_definitions
from sources.ingest import LEDGER, QUARANTINE
from sources.settings import Settings, export_duckdb_path

WAREHOUSE_SCHEMAS = ("raw", "restricted", "reference", "main")


def run_pipeline(settings: Settings, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    job = build_definitions(settings).resolve_implicit_global_asset_job_def()
    return job.execute_in_process(
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        instance=instance,
        raise_on_error=False,
    )


def failed_blocking_checks(result: dg.ExecuteInProcessResult) -> list[dg.AssetCheckEvaluation]:
    return [
        evaluation
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    ]


def table_row_counts(settings: Settings) -> list[tuple[str, int]]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
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
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        statuses = connection.execute(
            f"select status, count(*), coalesce(sum(rows_quarantined), 0) from {LEDGER} "
            "group by status order by status"
        ).fetchall()
        failed = connection.execute(
            f"select error from {LEDGER} where status = 'failed' order by file_name"
        ).fetchall()
    files = ", ".join(f"{count} {status}" for status, count, _ in statuses)
    quarantined = sum(q for status, _, q in statuses if status == "loaded")
    lines = [f"Files: {files}; rows in quarantine: {quarantined:,} (see {QUARANTINE})"]
    lines += [f"  failed file: {error}" for (error,) in failed]
    return lines


def summary(result: dg.ExecuteInProcessResult, settings: Settings) -> str:
    evaluations = result.get_asset_check_evaluations()
    failed = [e for e in evaluations if not e.passed]
    lines = ["", "Roi Jai Rak pipeline: " + ("succeeded" if result.success else "FAILED")]
    if settings.duckdb_path.exists():
        lines.append("Rows per table:")
        lines += [f"  {name:<40} {count:>8,}" for name, count in table_row_counts(settings)]
        lines += ingest_summary(settings)
    lines.append(f"Checks: {len(evaluations) - len(failed)} passed, {len(failed)} failed")
    for evaluation in failed:
        key = evaluation.asset_check_key
        description = evaluation.description or ""
        lines.append(
            f"  FAILED [{evaluation.severity.value}] {key.asset_key.to_user_string()} "
            f"{key.name}: {description}"
        )
    for event in result.all_events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            lines.append(f"  step failed: {event.step_key}: {error.message.strip()}")
    lines.append(f"Warehouse: {settings.duckdb_path}")
    return "\n".join(lines)


def main() -> int:
    settings = export_duckdb_path()
    if not settings.landing_dir.is_dir():
        print(f"landing folder {settings.landing_dir} does not exist", file=sys.stderr)
        return 2
    if os.environ.get("DAGSTER_HOME"):
        instance = dg.DagsterInstance.get()
    else:
        instance = dg.DagsterInstance.ephemeral()
    with instance:
        result = run_pipeline(settings, instance)
    print(summary(result, settings))
    return 0 if result.success and not failed_blocking_checks(result) else 1


if __name__ == "__main__":
    sys.exit(main())
