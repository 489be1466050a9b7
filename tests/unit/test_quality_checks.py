"""The data-quality judges fail on wrong rows, naming the file, sheet and row, and pass on
right ones; CheckOutcome keeps a few examples and counts them all."""

from datetime import date

import duckdb
import pandas as pd
import pytest

from expectations.catalog import plan_period, value_counts_sql
from expectations.data_rules import (
    check_dates_in_window,
    check_disbursed_within_allocated,
    check_projects_unique_across_files,
    check_reconciliation,
    check_share_per_file,
    check_values_at_least,
)
from expectations.gx_validation import ExpectationError, validate
from expectations.outcome import CheckOutcome
from expectations.thresholds import EXAMPLES_KEPT

NAN = float("nan")
HOUSEHOLDS = "แบบสำรวจครัวเรือน.xlsx"
AGENCY = "สำนักงานเกษตร.xlsx"
PLAN_START, PLAN_END = date(2023, 10, 1), date(2026, 9, 30)
TODAY = date(2025, 6, 15)


def rows(columns: dict, file_name=HOUSEHOLDS, sheet="Sheet1", first_row=2, villages=None):
    """A frame with the given columns and the lineage columns every staging model has."""
    count = len(next(iter(columns.values())))
    frame = pd.DataFrame(columns)
    frame["source_file_name"] = file_name
    frame["source_sheet"] = sheet
    frame["source_row_number"] = range(first_row, first_row + count)
    if villages is not None:
        frame["village_code"] = villages
    return frame


def value_counts(frame: pd.DataFrame, columns: list[str]) -> dict[str, pd.DataFrame]:
    """Each column's value counts, read from the frame as the checks read them from a model."""
    with duckdb.connect() as connection:
        connection.register("model_rows", frame)
        located = "village_code" in frame
        return {c: connection.sql(value_counts_sql("model_rows", c, located)).df() for c in columns}


def incomes(wage, agriculture):
    villages = ["50010101", "50010102", "56020301"][: len(wage)]
    return rows({"income_wage": wage, "income_agriculture": agriculture}, villages=villages)


def budget_lines(allocated, disbursed):
    names = ["ขุดลอกคลอง", "ซ่อมถนน", "ฝึกอาชีพ"][: len(allocated)]
    return rows(
        {"budget_allocated": allocated, "budget_disbursed": disbursed, "project_name": names},
        file_name=AGENCY,
        sheet="โครงการ",
        first_row=5,
        villages=["50010101", "50010102", "56020301"][: len(allocated)],
    )


def project(file_name, row_number, name="ขุดลอกคลอง", village="50010101"):
    return {
        "agency_name": "สำนักงานเกษตรจังหวัด",
        "fiscal_year_be": 2568,
        "project_name": name,
        "village_code": village,
        "source_file_name": file_name,
        "source_sheet": "โครงการ",
        "source_row_number": row_number,
    }


def per_file(*files):
    return pd.DataFrame(files, columns=["file_name", "part", "total"])


def measures(*values):
    return pd.DataFrame(
        [
            {
                "measure": measure,
                "source": "raw.agency_projects",
                "source_value": source_value,
                "target": "mart_budget",
                "target_value": target_value,
            }
            for measure, source_value, target_value in values
        ],
        columns=["measure", "source", "source_value", "target", "target_value"],
    )


def dates(values, column="survey_date"):
    villages = ["50010101", "50010102", "56020301", "57030405"][: len(values)]
    return rows({column: values}, villages=villages)


# Ranges


def test_non_negative_amounts_pass_and_missing_values_are_not_judged():
    outcome = check_values_at_least(
        value_counts(
            incomes([0, 1200, NAN], [NAN, 3500.5, 0]), ["income_wage", "income_agriculture"]
        ),
        0,
        "amounts_not_negative",
    )
    assert outcome.passed
    assert outcome.failures == []


def test_negative_amounts_in_several_columns_fail_naming_each_row():
    outcome = check_values_at_least(
        value_counts(
            incomes([-500, 1200, NAN], [NAN, 3500, -1234.5]), ["income_wage", "income_agriculture"]
        ),
        0,
        "amounts_not_negative",
    )
    assert not outcome.passed
    assert outcome.failures == [
        f"income_wage = -500 (below 0) at file {HOUSEHOLDS}, sheet Sheet1, row 2 "
        "(village 50010101)",
        f"income_agriculture = -1,234.50 (below 0) at file {HOUSEHOLDS}, sheet Sheet1, row 4 "
        "(village 56020301)",
    ]
    assert outcome.observed == {"income_wage": 1, "income_agriculture": 1}
    assert outcome.failure_count == 2


def test_a_household_without_members_fails_the_minimum_of_one():
    frame = rows({"members_count": [3, 0, 1]}, first_row=10, villages=["50010101"] * 3)
    outcome = check_values_at_least(
        value_counts(frame, ["members_count"]), 1, "members_at_least_one"
    )
    assert not outcome.passed
    assert outcome.failures == [
        f"members_count = 0 (below 1) at file {HOUSEHOLDS}, sheet Sheet1, row 11 (village 50010101)"
    ]


def test_examples_are_capped_but_every_failure_is_counted():
    frame = rows({"income_wage": [-(i + 1) for i in range(15)]})
    outcome = check_values_at_least(value_counts(frame, ["income_wage"]), 0, "amounts_not_negative")
    assert not outcome.passed
    assert len(outcome.failures) == EXAMPLES_KEPT == 10
    assert outcome.failure_count == 15
    # Rows without a village_code column are located by file, sheet and row only.
    assert (
        outcome.failures[0]
        == f"income_wage = -1 (below 0) at file {HOUSEHOLDS}, sheet Sheet1, row 2"
    )
    assert outcome.summary.endswith("; and 12 more")


def test_a_wrong_value_in_many_rows_is_shown_once_with_its_first_row_and_counted_by_rows():
    frame = rows({"members_count": [2, 0, 3, 0, 0]}, first_row=7, villages=["50010101"] * 5)
    outcome = check_values_at_least(
        value_counts(frame, ["members_count"]), 1, "members_at_least_one"
    )
    assert outcome.failures == [
        f"members_count = 0 (below 1) in 3 rows, the first at file {HOUSEHOLDS}, sheet Sheet1, "
        "row 8 (village 50010101)"
    ]
    assert outcome.observed == {"members_count": 3}
    assert outcome.failure_count == 3


def test_summary_lists_the_first_three_failures_and_how_many_more():
    outcome = CheckOutcome.of(False, None, None, [f"problem {i}" for i in range(1, 16)])
    assert outcome.failures == [f"problem {i}" for i in range(1, 11)]
    assert outcome.failure_count == 15
    assert outcome.summary == "problem 1; problem 2; problem 3; and 12 more"
    assert CheckOutcome.of(False, None, None, ["only one"]).summary == "only one"
    assert CheckOutcome.of(True, None, None, []).summary == "passed"


# Budget lines


def test_disbursed_within_allocated_passes_and_missing_values_are_ignored():
    outcome = check_disbursed_within_allocated(
        budget_lines([100_000.0, NAN, 50_000.0], [100_000.0, 80_000.0, NAN])
    )
    assert outcome.passed
    assert outcome.failures == []


def test_disbursing_more_than_allocated_fails_naming_the_project_and_row():
    outcome = check_disbursed_within_allocated(
        budget_lines([100_000.0, 20_000.0, NAN], [100_000.0, 25_000.5, 9_999.0])
    )
    assert not outcome.passed
    assert outcome.failures == [
        f"disbursed 25,000.50 > allocated 20,000 for 'ซ่อมถนน' at file {AGENCY}, "
        "sheet โครงการ, row 6 (village 50010102)"
    ]
    assert outcome.observed == {"lines_over_allocation": 1}


def test_the_same_project_twice_in_one_file_passes():
    lines = pd.DataFrame([project(AGENCY, 5), project(AGENCY, 9), project("อื่น.xlsx", 5, "ซ่อมถนน")])
    outcome = check_projects_unique_across_files(lines)
    assert outcome.passed
    assert outcome.failures == []


def test_the_same_project_in_two_files_fails_naming_both():
    other = "สำนักงานเกษตร (ส่งซ้ำ).xlsx"
    lines = pd.DataFrame([project(AGENCY, 5), project(AGENCY, 6, "ซ่อมถนน"), project(other, 12)])
    outcome = check_projects_unique_across_files(lines)
    assert not outcome.passed
    assert outcome.failures == [
        "'ขุดลอกคลอง' of สำนักงานเกษตรจังหวัด, fiscal year 2568, village 50010101 is in 2 files: "
        f"file {AGENCY}, sheet โครงการ, row 5 (village 50010101); "
        f"file {other}, sheet โครงการ, row 12 (village 50010101)"
    ]
    assert outcome.observed == {"projects_in_several_files": 1}


# Dates


def test_dates_inside_the_plan_period_pass_and_missing_dates_are_not_judged():
    frame = dates(["2023-10-01", "2024-03-15", None, "2025-06-15"])
    outcome = check_dates_in_window(
        value_counts(frame, ["survey_date"]), PLAN_START, PLAN_END, TODAY, "dates_in_plan_period"
    )
    assert outcome.passed
    assert outcome.failures == []


def test_dates_before_the_plan_and_in_the_future_fail_saying_why():
    frame = dates(["2023-09-30", "2024-03-15", "2025-06-16"])
    outcome = check_dates_in_window(
        value_counts(frame, ["survey_date"]), PLAN_START, PLAN_END, TODAY, "dates_in_plan_period"
    )
    assert not outcome.passed
    assert outcome.failures == [
        "survey_date 2023-09-30 is before the plan period starts (2023-10-01) at file "
        f"{HOUSEHOLDS}, sheet Sheet1, row 2 (village 50010101)",
        "survey_date 2025-06-16 is in the future (today is 2025-06-15) at file "
        f"{HOUSEHOLDS}, sheet Sheet1, row 4 (village 56020301)",
    ]
    assert outcome.expected == {"earliest": "2023-10-01", "latest": "2025-06-15"}


def test_a_date_after_the_plan_period_ends_fails_when_today_is_later():
    frame = rows(
        {"start_date": ["2024-01-10", "2024-02-01"], "end_date": ["2026-10-01", "2024-12-31"]},
        file_name=AGENCY,
        sheet="โครงการ",
        villages=["50010101", "50010102"],
    )
    outcome = check_dates_in_window(
        value_counts(frame, ["start_date", "end_date"]),
        PLAN_START,
        PLAN_END,
        date(2027, 1, 1),
        "dates",
    )
    assert not outcome.passed
    assert outcome.failures == [
        "end_date 2026-10-01 is after the plan period ends (2026-09-30) at file "
        f"{AGENCY}, sheet โครงการ, row 2 (village 50010101)"
    ]
    assert outcome.observed == {"start_date": 0, "end_date": 1}


def test_birth_dates_without_bounds_fail_only_in_the_future():
    frame = rows({"birth_date": ["1931-02-03", "2025-06-15", "2025-07-01"]}, sheet="สมาชิก")
    outcome = check_dates_in_window(
        value_counts(frame, ["birth_date"]), None, None, TODAY, "birth_dates"
    )
    assert not outcome.passed
    assert outcome.failures == [
        f"birth_date 2025-07-01 is in the future (today is 2025-06-15) at file {HOUSEHOLDS}, "
        "sheet สมาชิก, row 4"
    ]
    assert outcome.expected == {"earliest": None, "latest": "2025-06-15"}


def test_plan_period_reads_start_and_end_from_the_targets():
    targets = pd.DataFrame(
        {
            "level": ["plan_start", "plan_end", "villages"],
            "target_date": ["2023-10-01", pd.Timestamp("2026-09-30"), None],
        }
    )
    assert plan_period(targets) == (PLAN_START, PLAN_END)
    assert plan_period(targets.iloc[[0]]) == (PLAN_START, None)
    undated = pd.DataFrame({"level": ["plan_start"], "target_date": [None]})
    assert plan_period(undated) == (None, None)


# Shares per file


def test_a_file_above_the_threshold_fails_naming_the_file_and_share():
    outcome = check_share_per_file(
        per_file(("ตำบลป่าซาง.xlsx", 3, 20), ("ตำบลแม่แตง.csv", 1, 100)),
        0.10,
        "rows in quarantine",
        "quarantine_rate_per_file",
    )
    assert not outcome.passed
    assert outcome.failures == [
        "file ตำบลป่าซาง.xlsx: 3 of 20 rows in quarantine (15.0%, threshold 10%)"
    ]
    assert outcome.observed == {"ตำบลป่าซาง.xlsx": 0.15, "ตำบลแม่แตง.csv": 0.01}


def test_files_at_or_below_the_threshold_pass_and_empty_files_are_ignored():
    outcome = check_share_per_file(
        per_file(("a.xlsx", 1, 10), ("b.xlsx", 0, 2_500), ("empty.xlsx", 0, 0)),
        0.10,
        "rows in quarantine",
        "quarantine_rate_per_file",
    )
    assert outcome.passed
    assert outcome.failures == []
    assert outcome.observed == {"a.xlsx": 0.1, "b.xlsx": 0.0}


def test_invalid_citizen_ids_share_uses_thousands_separators_and_its_own_threshold():
    outcome = check_share_per_file(
        per_file(("สมาชิก.xlsx", 130, 2_000)), 0.05, "citizen IDs fail the checksum", "ids"
    )
    assert not outcome.passed
    assert outcome.failures == [
        "file สมาชิก.xlsx: 130 of 2,000 citizen IDs fail the checksum (6.5%, threshold 5%)"
    ]


# Reconciliation


def test_equal_measures_reconcile():
    outcome = check_reconciliation(
        measures(("budget lines", 120.0, 120.0), ("allocated", 1.5e6, 1.5e6))
    )
    assert outcome.passed
    assert outcome.failures == []


def test_an_unequal_measure_fails_naming_both_sides():
    outcome = check_reconciliation(
        measures(("budget lines", 120.0, 120.0), ("allocated (baht)", 1_500_000.0, 1_499_750.25))
    )
    assert not outcome.passed
    assert outcome.failures == [
        "allocated (baht): 1,500,000 in raw.agency_projects but 1,499,750.25 in mart_budget"
    ]


def test_no_measures_at_all_fails_with_nothing_to_reconcile():
    outcome = check_reconciliation(measures())
    assert not outcome.passed
    assert outcome.failures == ["nothing to reconcile: no measures were computed"]


def test_validate_returns_results_in_the_order_given_and_accepts_nullable_columns():
    import great_expectations.expectations as gxe

    frame = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int32"), "b": [5, 6, 7]})
    table, column = validate(
        frame,
        "order",
        [
            gxe.ExpectTableRowCountToBeBetween(min_value=5),  # GX sorts this one last
            gxe.ExpectColumnValuesToBeBetween(column="a", max_value=2),
        ],
    )
    assert table.expectation_config.type == "expect_table_row_count_to_be_between"
    assert not table.success
    assert column.result["unexpected_index_list"] == [2]


def test_an_expectation_gx_cannot_evaluate_raises_instead_of_passing():
    import great_expectations.expectations as gxe

    with pytest.raises(
        ExpectationError, match="broken: expect_column_values_to_be_between could not be evaluated"
    ):
        validate(
            pd.DataFrame({"a": [1]}),
            "broken",
            [gxe.ExpectColumnValuesToBeBetween(column="no_such_column", min_value=0)],
        )
