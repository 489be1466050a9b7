"""A run's checks, GX and dbt alike, as rows of quality.check_results.

Read from the run's events in the Dagster instance after the run, so the record is the same
however the run was started. A check that was planned but never evaluated is recorded as
not run; a failed dbt test gets its first failing rows from the table dbt stored them in.
"""

import json
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
from dagster._core.events import DagsterEventType

from expectations.outcome import source_location
from expectations.results import NOT_RUN, CheckRecord, run_records, store_check_results
from expectations.thresholds import EXAMPLES_KEPT
from orchestration.dbt_project import roijai_dbt_project
from orchestration.names import BLOCKS_PUBLICATION_METADATA, DBT_UNIQUE_ID, SEVERITY_METADATA

LINEAGE_COLUMNS = {"source_file_name", "source_sheet", "source_row_number"}


def _metadata_value(value: object) -> object:
    return getattr(value, "value", value)


def _shown(value: object) -> object:
    return "null" if pd.isna(value) else value


def _describe_failing_row(row: pd.Series, tested_column: str | None) -> str:
    if set(row.index) >= LINEAGE_COLUMNS:
        shown = (
            f"{tested_column} = {_shown(row[tested_column])} at " if tested_column in row else ""
        )
        return shown + source_location(row)
    return ", ".join(f"{column} = {_shown(value)}" for column, value in row.items())


def dbt_failure_details(
    connection: duckdb.DuckDBPyConnection, test_node: dict, failed_rows: int
) -> str:
    """The count and the first rows dbt stored for a failed test (store_failures)."""
    relation = f"{test_node['schema']}.{test_node['alias']}"
    examples = connection.sql(f"select * from {relation} limit {EXAMPLES_KEPT}").df()
    tested_column = (test_node.get("test_metadata") or {}).get("kwargs", {}).get("column_name")
    lines = [f"{failed_rows:,} failing row(s); first examples:"]
    lines += [f"- {_describe_failing_row(row, tested_column)}" for _, row in examples.iterrows()]
    return "\n".join(lines)


def _gx_record(evaluation, severity: str, blocks: bool) -> CheckRecord:
    metadata = {key: _metadata_value(value) for key, value in evaluation.metadata.items()}
    failures = metadata.get("failures") or []
    count = metadata.get("failure_count", len(failures))
    details = (
        ""
        if evaluation.passed
        else f"{count:,} problem(s):\n" + "\n".join(f"- {failure}" for failure in failures)
    )
    return CheckRecord(
        check_name=evaluation.check_name,
        asset_key=evaluation.asset_key.to_user_string(),
        source="great_expectations",
        severity=severity,
        passed=evaluation.passed,
        observed=metadata.get("observed"),
        expected=metadata.get("expected"),
        details=details,
        blocks_publication=blocks,
    )


def _dbt_record(evaluation, severity: str, test_node: dict, connection) -> CheckRecord:
    failed_rows = int(_metadata_value(evaluation.metadata.get("dagster_dbt/failed_row_count")) or 0)
    details = "" if evaluation.passed else dbt_failure_details(connection, test_node, failed_rows)
    return CheckRecord(
        check_name=evaluation.check_name,
        asset_key=evaluation.asset_key.to_user_string(),
        source="dbt",
        severity=severity,
        passed=evaluation.passed,
        observed={"failing_rows": failed_rows},
        expected={"failing_rows": 0},
        details=details,
    )


def check_records(
    instance: dg.DagsterInstance,
    run_id: str,
    asset_graph,
    connection: duckdb.DuckDBPyConnection,
) -> list[CheckRecord]:
    """One record per check the run planned, evaluated or not."""
    events = instance.get_records_for_run(
        run_id,
        of_type={
            DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,
            DagsterEventType.ASSET_CHECK_EVALUATION,
        },
    ).records
    planned, evaluated = [], {}
    for event in events:
        dagster_event = event.event_log_entry.dagster_event
        data = dagster_event.event_specific_data
        if dagster_event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluated[data.asset_check_key] = data
        elif data.asset_check_key not in planned:
            planned.append(data.asset_check_key)
    manifest = json.loads(Path(roijai_dbt_project.manifest_path).read_text(encoding="utf-8"))
    records = []
    for key in planned + [key for key in evaluated if key not in planned]:
        spec = asset_graph.get_check_spec(key)
        severity = spec.metadata[SEVERITY_METADATA]
        blocks = spec.metadata.get(BLOCKS_PUBLICATION_METADATA, True)
        dbt_test = spec.metadata.get(DBT_UNIQUE_ID)
        evaluation = evaluated.get(key)
        if evaluation is None:
            source = "dbt" if dbt_test else "great_expectations"
            records.append(
                CheckRecord(
                    key.name,
                    key.asset_key.to_user_string(),
                    source,
                    severity,
                    None,
                    details=NOT_RUN,
                    blocks_publication=blocks,
                )
            )
        elif dbt_test:
            records.append(
                _dbt_record(evaluation, severity, manifest["nodes"][dbt_test], connection)
            )
        else:
            records.append(_gx_record(evaluation, severity, blocks))
    return records


def record_run_checks(
    instance: dg.DagsterInstance,
    run_id: str,
    started_at: datetime,
    asset_graph,
    connection: duckdb.DuckDBPyConnection,
) -> list[CheckRecord]:
    """Store the run's check results in the warehouse; returns them as stored."""
    records = check_records(instance, run_id, asset_graph, connection)
    store_check_results(connection, run_id, started_at, records)
    return run_records(connection, run_id)
