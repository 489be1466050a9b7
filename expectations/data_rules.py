"""Data-quality rules on the warehouse's rows: ranges, dates, duplicates, shares per file and
reconciliation. Each returns a CheckOutcome whose failures name the file, sheet and row.

Frames carry the lineage columns of the staging models (source_file_name, source_sheet,
source_row_number) and, where the rows have one, village_code. A rule on each value of a
column judges the column's value counts instead of its rows (a frame per column: ``value``,
``rows``, and the lineage of the first row holding the value; expectations.catalog
``value_counts_sql``), so that it reads as many rows as there are distinct values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal

import pandas as pd

from expectations.gx_validation import failing_rows, rows_out_of_bounds, validate
from expectations.outcome import CheckOutcome, source_location


def _number(value: object) -> str:
    """An amount with its satang ('1,234.50'), a whole one without ('1,234')."""
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}".removesuffix(".00")
    return f"{value:,}"


def _outcome_per_value(
    outside: Mapping[str, pd.DataFrame],
    describe: Callable[[str, object], str],
    expected: object,
) -> CheckOutcome:
    """The outcome of a rule on several columns' values, from the value counts out of bounds:
    each value described, with its rows and where the first came from; observed is the count
    of rows out of bounds per column."""
    failures = [
        f"{describe(column, row['value'])}{_rows_of(row['rows'])} at {source_location(row)}"
        for column, values in outside.items()
        for _, row in values.iterrows()
    ]
    observed = {column: int(values["rows"].sum()) for column, values in outside.items()}
    return CheckOutcome.of(
        passed=not failures,
        observed=observed,
        expected=expected,
        failures=failures,
        failure_count=sum(observed.values()),
    )


def _rows_of(rows: int) -> str:
    return "" if rows == 1 else f" in {rows:,} rows, the first"


def check_values_at_least(
    values: Mapping[str, pd.DataFrame], minimum: float, suite_name: str
) -> CheckOutcome:
    """Every value of the columns (a value-counts frame per column) is at least `minimum`;
    missing values are not judged."""
    outside = {
        column: rows_out_of_bounds(
            counts.reset_index(drop=True), f"{suite_name}.{column}", "value", min_value=minimum
        )
        for column, counts in values.items()
    }
    return _outcome_per_value(
        outside,
        lambda column, value: f"{column} = {_number(value)} (below {_number(minimum)})",
        expected={column: f">= {minimum}" for column in values},
    )


def check_disbursed_within_allocated(budget_lines: pd.DataFrame) -> CheckOutcome:
    """No budget line disburses more than it was allocated."""
    import great_expectations.expectations as gxe

    frame = budget_lines.reset_index(drop=True)
    (result,) = validate(
        frame,
        "disbursed_within_allocated",
        [
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="budget_allocated",
                column_B="budget_disbursed",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        ],
    )
    failures = [
        f"disbursed {_number(row['budget_disbursed'])} > allocated "
        f"{_number(row['budget_allocated'])} for '{row['project_name']}' at {source_location(row)}"
        for _, row in failing_rows(frame, result).iterrows()
    ]
    return CheckOutcome.of(
        passed=result.success,
        observed={"lines_over_allocation": int(result.result.get("unexpected_count") or 0)},
        expected={"lines_over_allocation": 0},
        failures=failures,
    )


def check_dates_in_window(
    values: Mapping[str, pd.DataFrame],
    earliest: date | None,
    latest: date | None,
    today: date,
    suite_name: str,
) -> CheckOutcome:
    """Every date of the columns (a value-counts frame per column) lies between `earliest`
    and `latest` (the plan period) and not after today. Either bound may be None (a birth date
    only has to be in the past)."""
    upper = min(d for d in (latest, today) if d is not None)
    outside = {
        column: rows_out_of_bounds(
            counts.reset_index(drop=True).assign(value=pd.to_datetime(counts["value"])),
            f"{suite_name}.{column}",
            "value",
            min_value=pd.Timestamp(earliest) if earliest else None,
            max_value=pd.Timestamp(upper),
        )
        for column, counts in values.items()
    }

    def problem(value: date) -> str:
        if value > today:
            return f"is in the future (today is {today})"
        if earliest and value < earliest:
            return f"is before the plan period starts ({earliest})"
        return f"is after the plan period ends ({latest})"

    return _outcome_per_value(
        outside,
        lambda column, value: f"{column} {value.date()} {problem(value.date())}",
        expected={"earliest": str(earliest) if earliest else None, "latest": str(upper)},
    )


def check_projects_unique_across_files(budget_lines: pd.DataFrame) -> CheckOutcome:
    """A project (agency, fiscal year, name, village) comes from one file only: the same
    project in two files is usually one agency sending its list twice, counted twice."""

    key = ["agency_name", "fiscal_year_be", "project_name", "village_code"]
    lines = budget_lines.reset_index(drop=True)
    files = lines.groupby(key, dropna=False)["source_file_name"].transform("nunique")
    lines = lines.assign(files_with_project=files)
    outside = rows_out_of_bounds(
        lines, "projects_unique_across_files", "files_with_project", max_value=1
    )
    projects = outside.groupby(key, dropna=False, sort=False)
    failures = [
        f"'{project_name}' of {agency_name}, fiscal year {fiscal_year}, village {village_code} "
        f"is in {rows['source_file_name'].nunique()} files: "
        + "; ".join(source_location(row) for _, row in rows.iterrows())
        for (agency_name, fiscal_year, project_name, village_code), rows in projects
    ]
    return CheckOutcome.of(
        passed=outside.empty,
        observed={"projects_in_several_files": projects.ngroups},
        expected={"projects_in_several_files": 0},
        failures=failures,
    )


def check_share_per_file(
    per_file: pd.DataFrame, maximum: float, what: str, suite_name: str
) -> CheckOutcome:
    """Per file, `part` of `total` rows stays at or below `maximum` (a share, 0-1).
    per_file has columns file_name, part, total; `what` names the part in messages
    ("rows quarantined", "citizen IDs invalid").
    """
    frame = per_file[per_file["total"] > 0].reset_index(drop=True)
    frame = frame.assign(share=frame["part"] / frame["total"])
    outside = rows_out_of_bounds(frame, suite_name, "share", max_value=maximum)
    failures = [
        f"file {row['file_name']}: {int(row['part']):,} of {int(row['total']):,} {what} "
        f"({row['share']:.1%}, threshold {maximum:.0%})"
        for _, row in outside.iterrows()
    ]
    return CheckOutcome.of(
        passed=outside.empty,
        observed={row["file_name"]: round(row["share"], 4) for _, row in frame.iterrows()},
        expected={"maximum_share": maximum},
        failures=failures,
    )


def check_reconciliation(measures: pd.DataFrame) -> CheckOutcome:
    """Each measure has the same value where it comes from and where it lands.
    measures has columns measure, source, source_value, target, target_value.
    """
    import great_expectations.expectations as gxe

    frame = measures.reset_index(drop=True)
    expectations = [gxe.ExpectTableRowCountToBeBetween(min_value=1)]
    expectations.append(
        gxe.ExpectColumnPairValuesToBeEqual(column_A="source_value", column_B="target_value")
    )
    row_count, result = validate(frame, "reconciliation_exact", expectations)
    failures = [] if row_count.success else ["nothing to reconcile: no measures were computed"]
    failures += [
        f"{row['measure']}: {_number(row['source_value'])} in {row['source']} but "
        f"{_number(row['target_value'])} in {row['target']}"
        for _, row in failing_rows(frame, result).iterrows()
    ]
    return CheckOutcome.of(
        passed=row_count.success and result.success,
        observed=frame[["measure", "target_value"]].to_dict("records"),
        expected=frame[["measure", "source_value"]].to_dict("records"),
        failures=failures,
    )


COUNT_MEASURES = ("rows", "projects")  # what a totals row may count


def check_control_totals(totals: pd.DataFrame) -> CheckOutcome:
    """What a sheet's own totals rows say equals what was read from the rows they total: a
    difference nobody can explain is a row lost or misread on the way.

    totals: file_name, sheet, row_number, label, measure (a count of 'rows' or of distinct
    'projects', or an amount column), declared
    (the sheet's figure), loaded (the count or sum of the loaded rows in the total's scope),
    quarantined (rows of the scope in quarantine, each listed there with its reason). A count
    must equal the rows loaded plus those in quarantine; a sum, to the satang, the loaded rows'
    sum, unless a row of its scope is in quarantine: then the difference is that row's (kept in
    `observed`, not failed).
    """
    import great_expectations.expectations as gxe

    frame = totals.reset_index(drop=True)
    is_count = frame["measure"].isin(COUNT_MEASURES)
    explained = ~is_count & (frame["quarantined"] > 0)
    accounted = frame["loaded"].where(~is_count, frame["loaded"] + frame["quarantined"])
    frame = frame.assign(
        declared=frame["declared"].round(2),
        accounted=accounted.where(~explained, frame["declared"]).round(2),
    )
    (result,) = validate(
        frame,
        "control_totals_match",
        [gxe.ExpectColumnPairValuesToBeEqual(column_A="declared", column_B="accounted")],
    )

    def describe(row: pd.Series) -> str:
        place = f"file {row['file_name']}, sheet {row['sheet']}, row {int(row['row_number'])}"
        place += f" ('{row['label']}')"
        if row["measure"] in COUNT_MEASURES:
            declared, loaded = _number(int(row["declared"])), _number(int(row["loaded"]))
            found = f"says {declared} {row['measure']}, {loaded} loaded"
            if row["quarantined"]:
                found += f" and {int(row['quarantined'])} in quarantine"
            return f"{place} {found}"
        difference = _number(round(float(row["declared"] - row["loaded"]), 2))
        return (
            f"{place} says {row['measure']} = {_number(float(row['declared']))}, the loaded rows "
            f"sum to {_number(float(row['loaded']))} (a difference of {difference})"
        )

    failures = [describe(row) for _, row in failing_rows(frame, result).iterrows()]
    return CheckOutcome.of(
        passed=result.success,
        observed={
            "totals_rows": int(
                frame[["file_name", "sheet", "row_number"]].drop_duplicates().shape[0]
            ),
            "mismatches": len(failures),
            "explained_by_quarantine": [describe(row) for _, row in frame[explained].iterrows()],
        },
        expected={"mismatches": 0},
        failures=failures,
    )


def check_volume_change(volumes: pd.DataFrame, maximum_drop: float) -> CheckOutcome:
    """No source kind lost more than `maximum_drop` (a share) of its loaded rows since the
    previous successful run, unless a file replaced since explains it.

    volumes: source_kind, previous_rows (null: no previous successful run), current_rows,
    files_replaced (files of the kind replaced by a new version since that run).
    """
    frame = volumes.dropna(subset=["previous_rows"]).reset_index(drop=True)
    frame = frame.assign(
        unexplained_drop=[
            0.0
            if row["files_replaced"] or row["previous_rows"] == 0
            else max(0.0, 1 - row["current_rows"] / row["previous_rows"])
            for _, row in frame.iterrows()
        ]
    )
    outside = rows_out_of_bounds(
        frame, "source_volumes_steady", "unexplained_drop", max_value=maximum_drop
    )
    failures = [
        f"{row['source_kind']}: {_number(int(row['current_rows']))} rows loaded, down from "
        f"{_number(int(row['previous_rows']))} at the previous successful run "
        f"({row['unexplained_drop']:.0%} fewer, threshold {maximum_drop:.0%}), and no file of "
        "it was replaced since"
        for _, row in outside.iterrows()
    ]
    return CheckOutcome.of(
        passed=outside.empty,
        observed=volumes.to_dict("records"),
        expected={"maximum_drop": maximum_drop},
        failures=failures,
    )


def check_rows_set_aside(set_aside: pd.DataFrame) -> CheckOutcome:
    """Rows loaded but set aside (orphan members, lines outside the target villages, copies)
    are none, or each kind of them is counted and named: never silent.

    set_aside: table_name, reason, rows; one row per table and reason.
    """
    frame = set_aside.reset_index(drop=True)
    outside = rows_out_of_bounds(frame, "rows_set_aside", "rows", max_value=0)
    failures = [
        f"{row['table_name']}: {_number(int(row['rows']))} row(s) set aside: {row['reason']} "
        "(each is in fct_excluded_rows)"
        for _, row in outside.iterrows()
    ]
    return CheckOutcome.of(
        passed=outside.empty,
        observed=frame.to_dict("records"),
        expected={"rows_set_aside": 0},
        failures=failures,
    )
