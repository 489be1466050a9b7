"""`make status`: the publication, the last pipeline runs, the newest files in the ledger and
the check results of the last run, and Dagster's last runs (why each failed; a run left
active by a dead process). Reads the warehouse read-only; while a run is writing it, says so
and shows what it can (the publication, Dagster's run history)."""

import os
import sys

import dagster as dg
import duckdb

from expectations.quality_tables import PIPELINE_RUNS
from expectations.results import CHECK_RESULTS, describe_counts, run_records, status_counts
from orchestration.conclude import failure_reason
from orchestration.names import LAUNCHED_BY_TAG, MAKE_RUN
from orchestration.run_state import ACTIVE_STATUSES, make_run_alive
from serving.publication import PublishedPaths, read_manifest
from sources.raw_tables import LEDGER
from sources.settings import Settings, load_settings

SHOWN = 10
ABANDONED_ACTIVE = (
    "ABANDONED: make run is not running, its process ended without finishing this run "
    "(killed, out of memory or a power cut); the next make run marks it failed"
)


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


def dagster_run_lines(settings: Settings) -> list[str]:
    """Dagster's last runs, with why each failed run failed, and a run left active by a make
    run whose process is gone (the next make run marks it failed)."""
    if not os.environ.get("DAGSTER_HOME"):
        return []
    with dg.DagsterInstance.get() as instance:
        lines = ["Dagster runs (newest first):"]
        for run in instance.get_runs(limit=SHOWN):
            line = f"  {run.run_id[:8]} {run.job_name:<16} {run.status.value}"
            if run.status == dg.DagsterRunStatus.FAILURE:
                reason = failure_reason(instance, run.run_id)
                line += ": " + reason.partition("\n")[0]
            elif (
                run.status in ACTIVE_STATUSES
                and run.tags.get(LAUNCHED_BY_TAG) == MAKE_RUN
                and not make_run_alive(settings.data_dir)
            ):
                line += f": {ABANDONED_ACTIVE}"
            lines.append(line)
        return lines


def status_lines(settings: Settings) -> list[str]:
    lines = publication_lines(settings)
    if not settings.duckdb_path.exists():
        lines.append(f"No warehouse yet at {settings.duckdb_path}: run `make run`.")
        return lines + dagster_run_lines(settings)
    try:
        with settings.connect(read_only=True) as connection:
            lines += warehouse_lines(connection)
    except duckdb.IOException:
        lines.append(f"The warehouse {settings.duckdb_path} is being written by a run right now.")
    except duckdb.CatalogException:
        lines.append("The warehouse has no run recorded yet: run `make run`.")
    return lines + dagster_run_lines(settings)


def main() -> int:
    print("\n".join(status_lines(load_settings())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
