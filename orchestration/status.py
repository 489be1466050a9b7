"""`make status`: the publication, the last pipeline runs, the newest files in the ledger and
the check results of the last run. Reads the warehouse read-only; while a run is writing it,
says so and shows what it can (the publication, Dagster's run history)."""

import os
import sys

import dagster as dg
import duckdb

from expectations.quality_tables import PIPELINE_RUNS
from expectations.results import CHECK_RESULTS, describe_counts, run_records, status_counts
from serving.publication import PublishedPaths, read_manifest
from sources.raw_tables import LEDGER
from sources.settings import Settings, load_settings

SHOWN = 10


def publication_lines(settings: Settings) -> list[str]:
    manifest = read_manifest(PublishedPaths(settings.published_dir))
    if manifest is None:
        return [f"Publication: none yet in {settings.published_dir}"]
    return [
        f"Publication: {settings.published_dir / manifest['database']}, published "
        f"{manifest['published_at']} from run {manifest['pipeline_run_id']}, "
        f"{len(manifest['tables'])} tables; checks: "
        + describe_counts(manifest["checks"].get("counts", {}))
    ]


def warehouse_lines(connection: duckdb.DuckDBPyConnection) -> list[str]:
    lines = ["Last pipeline runs:"]
    runs = connection.execute(
        f"select started_at, status, published, checks_failed_error, checks_failed_warn, message "
        f"from {PIPELINE_RUNS} order by started_at desc limit {SHOWN}"
    ).fetchall()
    lines += [
        f"  {started:%Y-%m-%d %H:%M} UTC  {status:<8} "
        f"{'published' if published else 'not published':<14} "
        f"{errors} error(s), {warnings} warning(s): {message}"
        for started, status, published, errors, warnings, message in runs
    ] or ["  none recorded yet"]
    lines.append(f"Newest files in the ledger ({LEDGER}):")
    files = connection.execute(
        f"select loaded_at, status, source_kind, file_name, rows_loaded, rows_quarantined, error "
        f"from {LEDGER} order by loaded_at desc limit {SHOWN}"
    ).fetchall()
    lines += [
        f"  {loaded:%Y-%m-%d %H:%M}  {status:<9} {kind:<8} {name}: {loaded_rows} loaded, "
        f"{quarantined} quarantined" + (f" ({error})" if error else "")
        for loaded, status, kind, name, loaded_rows, quarantined, error in files
    ]
    (last_run,) = connection.execute(
        f"select max_by(run_id, run_started_at) from {CHECK_RESULTS}"
    ).fetchone()
    records = run_records(connection, last_run) if last_run else []
    lines.append(f"Checks of run {last_run}: " + describe_counts(status_counts(records)))
    lines += [
        f"  {r.status.upper()} {r.asset_key} {r.check_name}: {r.details.splitlines()[-1]}"
        for r in records
        if r.passed is not True
    ]
    return lines


def dagster_run_lines() -> list[str]:
    if not os.environ.get("DAGSTER_HOME"):
        return []
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=SHOWN)
        return ["Dagster run history:"] + [
            f"  {run.run_id[:8]} {run.job_name:<16} {run.status.value}" for run in runs
        ]


def status_lines(settings: Settings) -> list[str]:
    lines = publication_lines(settings)
    if not settings.duckdb_path.exists():
        return [*lines, f"No warehouse yet at {settings.duckdb_path}: run `make run`."]
    try:
        with settings.connect(read_only=True) as connection:
            return lines + warehouse_lines(connection)
    except duckdb.IOException:
        busy = f"The warehouse {settings.duckdb_path} is being written by a run right now."
        return [*lines, busy, *dagster_run_lines()]
    except duckdb.CatalogException:
        return [*lines, "The warehouse has no run recorded yet: run `make run`."]


def main() -> int:
    print("\n".join(status_lines(load_settings())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
