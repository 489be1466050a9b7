"""The warehouse's quality schema, defined in one place: the result of every check of every
run (check_results), one row per concluded pipeline run (pipeline_runs) and the rows loaded
per source kind at the end of each run (source_volumes, whose drop a check watches)."""

from __future__ import annotations

import duckdb

from sources.sql import ensure_table

QUALITY_SCHEMA = "quality"
CHECK_RESULTS = f"{QUALITY_SCHEMA}.check_results"
CHECK_RESULTS_COLUMNS = {
    "run_id": "varchar",
    "run_started_at": "timestamp",
    "check_name": "varchar",
    "asset_key": "varchar",
    "source": "varchar",  # great_expectations or dbt
    "severity": "varchar",  # error (the run fails) or warn (reported)
    # an error about the warehouse's numbers blocks publication; one about what is missing or
    # a file not read does not: what passed is published, saying what is missing
    "blocks_publication": "boolean",
    "passed": "boolean",  # null: the check did not run
    "observed": "json",
    "expected": "json",
    "details": "varchar",
}
PIPELINE_RUNS = f"{QUALITY_SCHEMA}.pipeline_runs"
PIPELINE_RUNS_COLUMNS = {
    "run_id": "varchar",
    "job_name": "varchar",
    "status": "varchar",  # success or failure
    "started_at": "timestamp",
    "finished_at": "timestamp",
    "checks_failed_error": "integer",
    "checks_failed_warn": "integer",
    "publishable": "boolean",  # the run's decision (serving/run_decision.py)
    "published": "boolean",  # set once the publication of the run is in place
    "message": "varchar",  # why the run is or is not publishable
}
SOURCE_VOLUMES = f"{QUALITY_SCHEMA}.source_volumes"
SOURCE_VOLUMES_COLUMNS = {
    "run_id": "varchar",
    "source_kind": "varchar",
    "files_loaded": "integer",
    "rows_loaded": "bigint",
}


def ensure_quality_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the quality tables (and columns they gained), so a check can read them from the
    first run on."""
    connection.execute(f"create schema if not exists {QUALITY_SCHEMA}")
    ensure_table(connection, CHECK_RESULTS, CHECK_RESULTS_COLUMNS)
    ensure_table(connection, PIPELINE_RUNS, PIPELINE_RUNS_COLUMNS)
    ensure_table(connection, SOURCE_VOLUMES, SOURCE_VOLUMES_COLUMNS)
