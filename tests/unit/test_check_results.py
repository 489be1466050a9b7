"""Check results over time and the run's HTML report, against a real DuckDB file: storing a run
keeps one row a check (a retried run replaces its rows), records come back failures first with
their JSON intact, and the report states the verdict, escapes what it shows and needs no
internet."""

from datetime import datetime

import duckdb
import pytest

from expectations.quality_tables import CHECK_RESULTS
from expectations.report import render_report
from expectations.results import NOT_RUN, CheckRecord, run_records, store_check_results
from serving.run_decision import decide

STARTED = datetime(2020, 1, 5, 9, 30)

PASSED = CheckRecord("row_count", "raw/register_villages", "great_expectations", "error", True,
                     observed=133, expected={"min": 1})  # fmt: skip
FAILED = CheckRecord("phase_targets_met", "mart_phase", "dbt", "error", False,
                     observed={"phase": 1, "villages": 46, "ชื่อ": "บ้านแม่ริม"},
                     expected={"phase": 1, "villages": 47},
                     details="phase 1: 46 villages against a target of 47 (1 short)")  # fmt: skip
WARNED = CheckRecord("plan_items_have_amounts", "raw/plan_items", "great_expectations", "warn",
                     False, observed=["แผนงาน ก", None], expected=[],
                     details="2 rows without an amount")  # fmt: skip
SKIPPED = CheckRecord("mart_is_fresh", "mart_village", "dbt", "error", None, details=NOT_RUN)


@pytest.fixture
def connection(tmp_path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        yield connection


def rows_per_run(connection) -> dict[str, int]:
    query = f"select run_id, count(*) from {CHECK_RESULTS} group by run_id"
    return dict(connection.execute(query).fetchall())


def test_storing_a_run_creates_the_table_and_a_retry_replaces_its_rows(connection):
    store_check_results(connection, "run-1", STARTED, [PASSED, FAILED, WARNED])
    assert rows_per_run(connection) == {"run-1": 3}

    store_check_results(connection, "run-1", STARTED, [PASSED, FAILED, WARNED])
    assert rows_per_run(connection) == {"run-1": 3}
    names = connection.execute(
        f"select check_name, count(*) from {CHECK_RESULTS} where run_id = 'run-1' group by 1"
    ).fetchall()
    assert {count for _, count in names} == {1}

    store_check_results(connection, "run-2", STARTED, [PASSED, SKIPPED])
    assert rows_per_run(connection) == {"run-1": 3, "run-2": 2}


def test_run_records_lists_failures_then_not_run_then_passes(connection):
    store_check_results(connection, "run-1", STARTED, [PASSED, SKIPPED, WARNED, FAILED])
    store_check_results(connection, "run-2", STARTED, [PASSED])

    assert run_records(connection, "run-1") == [FAILED, WARNED, SKIPPED, PASSED]
    assert run_records(connection, "run-2") == [PASSED]


def test_observed_expected_and_details_round_trip_with_thai_text(connection):
    store_check_results(connection, "run-1", STARTED, [FAILED, WARNED, SKIPPED])
    by_name = {record.check_name: record for record in run_records(connection, "run-1")}

    assert by_name["phase_targets_met"].observed == {"phase": 1, "villages": 46, "ชื่อ": "บ้านแม่ริม"}
    assert by_name["phase_targets_met"].expected == {"phase": 1, "villages": 47}
    assert by_name["plan_items_have_amounts"].observed == ["แผนงาน ก", None]
    assert by_name["mart_is_fresh"].observed is None
    assert by_name["mart_is_fresh"].details == NOT_RUN


def test_status_names_the_outcome_and_the_severity_of_a_failure():
    assert [record.status for record in (PASSED, FAILED, WARNED, SKIPPED)] == [
        "passed",
        "failed (error)",
        "failed (warn)",
        "not run",
    ]


def report(records: list[CheckRecord]) -> str:
    return render_report("run-1", STARTED, records, decide(records).verdict)


def test_the_report_states_the_runs_decision():
    html = report([FAILED, WARNED, PASSED])
    assert "nothing is published from this run: 1 blocking check(s) failed: mart_phase" in html
    assert "mart_phase phase_targets_met" in html


def test_the_report_escapes_details_and_keeps_thai_text():
    hostile = CheckRecord("names_are_clean", "raw/survey_members", "dbt", "warn", False,
                          details='<script>alert("x")</script> & บ้านแม่ริม')  # fmt: skip
    html = report([hostile])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; บ้านแม่ริม" in html


def test_the_report_is_self_contained_utf8_html():
    html = report([FAILED, WARNED, SKIPPED, PASSED])
    assert '<meta charset="utf-8">' in html
    assert "http://" not in html
    assert "https://" not in html
    assert "Run run-1, started 2020-01-05 09:30 UTC." in html
