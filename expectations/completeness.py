"""What is missing: the reports the reporting calendar has made due and the warehouse does not
hold, and the files the run could not read. Expected reports come from the calendar and the
target register (fct_expected_reports), never from the data being judged, so each of these
checks fails when the data is absent.

Frames come from fct_expected_reports (one row per report due), the ingest ledger and the
sheet ledger; each function returns a CheckOutcome whose failures name what is missing.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from expectations.gx_validation import failing_rows, rows_out_of_bounds, validate
from expectations.outcome import CheckOutcome
from expectations.thresholds import EXAMPLES_KEPT, MIN_SURVEY_ROUND_COVERAGE

# The marts these checks judge (built by dbt, under marts/reporting/ and marts/excluded/).
COMPLETENESS_MART = "mart_reporting_completeness"
FILES_NOT_READ_MART = "mart_files_not_read"


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:EXAMPLES_KEPT])
    more = len(names) - EXAMPLES_KEPT
    return f"{shown} and {more} more" if more > 0 else shown


def _day(value: object) -> str:
    return str(pd.Timestamp(value).date()) if pd.notna(value) else "no date"


def check_due_sources_loaded(kinds: pd.DataFrame) -> CheckOutcome:
    """Every source kind with reports due has rows loaded.
    kinds: source_kind, reports_due, rows_loaded, first_due_date, reports (the names of the
    reports due, '; ' between them); one row per source kind of the calendar.
    """
    import great_expectations.expectations as gxe

    (calendar,) = validate(
        kinds.reset_index(drop=True),
        "reporting_calendar_present",
        [gxe.ExpectTableRowCountToBeBetween(min_value=1)],
    )
    due = kinds[kinds["reports_due"] > 0].reset_index(drop=True)
    due = due.assign(rows_loaded=due["rows_loaded"].fillna(0))
    outside = rows_out_of_bounds(due, "due_sources_loaded", "rows_loaded", min_value=1)
    failures = [] if calendar.success else ["the reporting calendar is empty: nothing is expected"]
    failures += [
        f"no {row['source_kind']} rows are loaded, and {int(row['reports_due']):,} "
        f"{row['source_kind']} report(s) are due, the first on {_day(row['first_due_date'])}: "
        f"{row['reports']}"
        for _, row in outside.iterrows()
    ]
    return CheckOutcome.of(
        passed=calendar.success and outside.empty,
        observed={row["source_kind"]: int(row["rows_loaded"]) for _, row in due.iterrows()},
        expected={"rows_loaded": ">= 1 for each source kind with reports due"},
        failures=failures,
    )


def check_reports_received(
    due: pd.DataFrame, suite_name: str, describe: Callable[[pd.Series], str]
) -> CheckOutcome:
    """Every report due was received. due: one row per report due, with is_received and what
    `describe` needs to name a missing one (the owner, the period, the due date)."""
    import great_expectations.expectations as gxe

    frame = due.reset_index(drop=True)
    (result,) = validate(
        frame,
        suite_name,
        [gxe.ExpectColumnValuesToBeInSet(column="is_received", value_set=[True])],
    )
    failures = [describe(row) for _, row in failing_rows(frame, result).iterrows()]
    return CheckOutcome.of(
        passed=result.success,
        observed={"reports_due": len(frame), "reports_missing": len(failures)},
        expected={"reports_missing": 0},
        failures=failures,
    )


def describe_missing_register(row: pd.Series) -> str:
    return (
        f"no target village register of province {row['province_code']} "
        f"({row['province_name_th']}), due {_day(row['due_date'])}"
    )


def describe_missing_agency_report(row: pd.Series) -> str:
    return (
        f"{row['agency_name']}, province {row['province_code']} ({row['province_name_th']}), "
        f"fiscal year {int(row['fiscal_year_be'])}: no projects and budget report, due "
        f"{_day(row['due_date'])}"
    )


def describe_missing_plan(row: pd.Series) -> str:
    return (
        f"village {row['village_code']} {row['village_name_th']} (phase {int(row['phase'])}): "
        f"no village plan, due {_day(row['due_date'])}"
    )


def _round_name(row: pd.Series) -> str:
    return (
        f"phase {int(row['phase'])}, round {int(row['survey_round'])} ({row['report']}, due "
        f"{_day(row['due_date'])})"
    )


def _round_figures(rounds: pd.DataFrame) -> list[dict]:
    figures = rounds.drop(columns=["villages_missing", "report"])
    return figures.assign(due_date=figures["due_date"].map(_day)).to_dict("records")


def check_survey_rounds_received(rounds: pd.DataFrame) -> CheckOutcome:
    """Every survey round due has at least one household, in each phase.
    rounds: phase, survey_round, report, due_date, villages_expected (the phase's villages in
    the target register, 0 if none), villages_received, villages_missing (a list of 'code
    name'); one row per phase and round the calendar has made due.
    """
    frame = rounds.reset_index(drop=True)
    outside = rows_out_of_bounds(frame, "survey_rounds_received", "villages_received", min_value=1)

    def describe(row: pd.Series) -> str:
        if not row["villages_expected"]:
            return (
                f"{_round_name(row)}: no household received, and no village of phase "
                f"{int(row['phase'])} is in the target register to receive one from"
            )
        return (
            f"{_round_name(row)}: no household received from any of its "
            f"{int(row['villages_expected'])} villages"
        )

    failures = [describe(row) for _, row in outside.iterrows()]
    return CheckOutcome.of(
        passed=outside.empty,
        observed=_round_figures(frame),
        expected={"villages_received": ">= 1 in every round due"},
        failures=failures,
    )


def check_survey_round_coverage(rounds: pd.DataFrame) -> CheckOutcome:
    """Each survey round due reached at least MIN_SURVEY_ROUND_COVERAGE of its phase's
    villages (rounds as for check_survey_rounds_received)."""
    frame = rounds.reset_index(drop=True)
    expected = frame["villages_expected"].where(frame["villages_expected"] > 0)
    frame = frame.assign(coverage=(frame["villages_received"] / expected).fillna(0.0))
    outside = rows_out_of_bounds(
        frame, "survey_round_coverage", "coverage", min_value=MIN_SURVEY_ROUND_COVERAGE
    )
    failures = [
        f"{_round_name(row)}: {int(row['villages_received'])} of "
        f"{int(row['villages_expected'])} villages surveyed ({row['coverage']:.1%}, minimum "
        f"{MIN_SURVEY_ROUND_COVERAGE:.0%}); not surveyed: {_listed(list(row['villages_missing']))}"
        for _, row in outside.iterrows()
    ]
    return CheckOutcome.of(
        passed=outside.empty,
        observed=_round_figures(frame),
        expected={"minimum_coverage": MIN_SURVEY_ROUND_COVERAGE},
        failures=failures,
    )


def check_every_file_read(files: pd.DataFrame) -> CheckOutcome:
    """No file of the landing folder is failed or only partly read.
    files: file_name, status (failed or partial), missing_since, sheets_not_read (names, ' | '
    between them); one row per file whose data is not all in the warehouse.
    """
    import great_expectations.expectations as gxe

    frame = files.reset_index(drop=True)
    (result,) = validate(
        frame,
        "every_file_read",
        [gxe.ExpectColumnValuesToBeInSet(column="status", value_set=["loaded"])],
    )

    def describe(row: pd.Series) -> str:
        if row["status"] == "failed":
            what = "could not be read (the reason is in raw.ingest_ledger)"
        else:
            what = f"was read in part: sheet(s) {row['sheets_not_read']} not read"
        since = _day(row["missing_since"])
        return f"file {row['file_name']} {what}; its data is missing since {since}"

    failures = [describe(row) for _, row in failing_rows(frame, result).iterrows()]
    return CheckOutcome.of(
        passed=result.success,
        observed={"files_not_read": frame["file_name"].tolist()},
        expected={"files_not_read": []},
        failures=failures,
    )
