"""`make run`: materialize every asset, run every check, print a summary, exit non-zero on a
failed blocking check. The run is recorded in $DAGSTER_HOME, so the UI shows it afterwards."""

import os
import sys
from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb

from expectations.results import CheckRecord, run_records
from orchestration.check_results import record_run_checks, report_path
from orchestration.definitions import build_definitions
from sources.ingest import LEDGER, QUARANTINE
from sources.settings import Settings, export_duckdb_path

WAREHOUSE_SCHEMAS = ("raw", "restricted", "reference", "main", "quality")
SUMMARY_DETAIL_LINES = 4


def run_pipeline(settings: Settings, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    """Materialize every asset and run every check, then record the checks' results."""
    definitions = build_definitions(settings)
    job = definitions.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        instance=instance,
        raise_on_error=False,
    )
    if settings.duckdb_path.exists():
        record_run_checks(instance, result.run_id, definitions.resolve_asset_graph(), settings)
    return result


def recorded_checks(settings: Settings, run_id: str) -> list[CheckRecord]:
    if not settings.duckdb_path.exists():
        return []
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        return run_records(connection, run_id)


def blocking_failures(records: list[CheckRecord]) -> list[CheckRecord]:
    return [r for r in records if r.passed is False and r.severity == "error"]


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


def check_lines(records: list[CheckRecord], report: Path) -> list[str]:
    """Counts by outcome, then each failed or not-run check with its first details."""
    counts = Counter(record.status for record in records)
    lines = ["Checks: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))]
    for record in records:
        if record.passed is not True:
            lines.append(f"  {record.status.upper()} {record.asset_key} {record.check_name}")
            details = record.details.splitlines()
            lines += [f"      {line}" for line in details[:SUMMARY_DETAIL_LINES]]
            if len(details) > SUMMARY_DETAIL_LINES:
                lines.append("      ... (all examples in the report)")
    lines.append(f"Quality report: {report}")
    return lines


def summary(
    result: dg.ExecuteInProcessResult, records: list[CheckRecord], settings: Settings
) -> str:
    lines = ["", "Roi Jai Rak pipeline: " + ("succeeded" if result.success else "FAILED")]
    if settings.duckdb_path.exists():
        lines.append("Rows per table:")
        lines += [f"  {name:<40} {count:>8,}" for name, count in table_row_counts(settings)]
        lines += ingest_summary(settings)
    lines += check_lines(records, report_path(settings))
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
    records = recorded_checks(settings, result.run_id)
    print(summary(result, records, settings))
    return 0 if result.success and not blocking_failures(records) else 1


if __name__ == "__main__":
    sys.exit(main())
