"""The checks of what is missing and of what the files say about themselves pass on complete
data and fail, naming what is missing or where, on data that is not."""

from datetime import date

import pandas as pd

from expectations.completeness import (
    check_due_sources_loaded,
    check_every_file_read,
    check_reports_received,
    check_survey_round_coverage,
    check_survey_rounds_received,
    describe_missing_agency_report,
    describe_missing_register,
)
from expectations.data_rules import check_control_totals, check_rows_set_aside, check_volume_change
from expectations.thresholds import MIN_SURVEY_ROUND_COVERAGE


def kinds(survey_rows_loaded):
    return pd.DataFrame(
        [
            ("agency", 21, 257, date(2020, 10, 31), "FY 2563 report"),
            ("survey", 5, survey_rows_loaded, date(2020, 9, 30),
             "phase 1 baseline; phase 2 baseline"),
            ("plans", 0, None, None, None),  # nothing due yet: not judged
        ],
        columns=["source_kind", "reports_due", "rows_loaded", "first_due_date", "reports"],
    )  # fmt: skip


def test_a_source_kind_due_with_no_rows_loaded_fails_naming_the_reports_due():
    assert check_due_sources_loaded(kinds(1948)).passed
    empty = check_due_sources_loaded(kinds(1948).iloc[0:0])
    assert not empty.passed
    assert empty.failures == ["the reporting calendar is empty: nothing is expected"]
    outcome = check_due_sources_loaded(kinds(None))
    assert not outcome.passed
    assert outcome.failures == [
        "no survey rows are loaded, and 5 survey report(s) are due, the first on 2020-09-30: "
        "phase 1 baseline; phase 2 baseline"
    ]


def registers(received):
    return pd.DataFrame(
        [("50", "เชียงใหม่", date(2019, 12, 1), True),
         ("58", "แม่ฮ่องสอน", date(2019, 12, 1), received)],
        columns=["province_code", "province_name_th", "due_date", "is_received"],
    )  # fmt: skip


def test_a_province_without_its_register_fails_naming_the_province():
    assert check_reports_received(registers(True), "r", describe_missing_register).passed
    outcome = check_reports_received(registers(False), "r", describe_missing_register)
    assert not outcome.passed
    assert outcome.failures == [
        "no target village register of province 58 (แม่ฮ่องสอน), due 2019-12-01"
    ]
    assert outcome.observed == {"reports_due": 2, "reports_missing": 1}


def test_an_agency_report_not_received_names_agency_province_and_fiscal_year():
    due = pd.DataFrame(
        [("สำนักงานสาธารณสุขจังหวัดพะเยา", "56", "พะเยา", 2564, date(2021, 10, 31), False)],
        columns=["agency_name", "province_code", "province_name_th", "fiscal_year_be",
                 "due_date", "is_received"],
    )  # fmt: skip
    outcome = check_reports_received(due, "a", describe_missing_agency_report)
    assert outcome.failures == [
        "สำนักงานสาธารณสุขจังหวัดพะเยา, province 56 (พะเยา), fiscal year 2564: no projects and "
        "budget report, due 2021-10-31"
    ]


def rounds(received_in_follow_up, missing=()):
    return pd.DataFrame(
        [
            (1, 1, "phase 1 baseline", date(2020, 9, 30), 47, 47, []),
            (1, 2, "phase 1 follow-up of FY 2564", date(2021, 9, 30), 47, received_in_follow_up,
             list(missing)),
        ],
        columns=["phase", "survey_round", "report", "due_date", "villages_expected",
                 "villages_received", "villages_missing"],
    )  # fmt: skip


def test_a_due_round_with_no_household_is_an_error_naming_phase_and_round():
    assert check_survey_rounds_received(rounds(47)).passed
    assert check_survey_rounds_received(rounds(1)).passed  # coverage is the warning's business
    outcome = check_survey_rounds_received(rounds(0))
    assert not outcome.passed
    assert outcome.failures == [
        "phase 1, round 2 (phase 1 follow-up of FY 2564, due 2021-09-30): no household received "
        "from any of its 47 villages"
    ]


def test_round_coverage_below_the_threshold_warns_listing_the_villages_not_surveyed():
    just_enough = int(47 * MIN_SURVEY_ROUND_COVERAGE) + 1
    assert check_survey_round_coverage(rounds(just_enough)).passed
    outcome = check_survey_round_coverage(rounds(40, ["50010101 บ้านป่าซาง"]))
    assert not outcome.passed
    assert outcome.failures[0].startswith(
        "phase 1, round 2 (phase 1 follow-up of FY 2564, due 2021-09-30): 40 of 47 villages "
        "surveyed (85.1%"
    )
    assert outcome.failures[0].endswith("not surveyed: 50010101 บ้านป่าซาง")


def test_failed_and_partial_files_are_named_with_what_is_missing_since_when():
    files = pd.DataFrame(
        [
            ("cut.xlsx", "failed", pd.Timestamp("2026-11-28 03:00"), None),
            ("kobo.xlsx", "partial", pd.Timestamp("2026-11-30 03:00"), "members | notes"),
        ],
        columns=["file_name", "status", "missing_since", "sheets_not_read"],
    )
    outcome = check_every_file_read(files)
    assert not outcome.passed
    assert outcome.failures == [
        "file cut.xlsx could not be read (the reason is in raw.ingest_ledger); its data is "
        "missing since 2026-11-28",
        "file kobo.xlsx was read in part: sheet(s) members | notes not read; its data is missing "
        "since 2026-11-30",
    ]
    assert check_every_file_read(files.iloc[0:0]).passed


def totals(measure, declared, loaded, quarantined=0):
    return pd.DataFrame(
        [("register.xlsx", "ระยะที่ 1", 52, "รวม 19 หมู่บ้าน", measure, declared, loaded, quarantined)],
        columns=["file_name", "sheet", "row_number", "label", "measure", "declared", "loaded",
                 "quarantined"],
    )  # fmt: skip


def test_a_totals_row_counting_more_rows_than_were_read_fails_naming_file_sheet_and_row():
    assert check_control_totals(totals("rows", 19, 19)).passed
    assert check_control_totals(totals("rows", 19, 18, quarantined=1)).passed  # listed apart
    outcome = check_control_totals(totals("rows", 19, 18))
    assert not outcome.passed
    assert outcome.failures == [
        "file register.xlsx, sheet ระยะที่ 1, row 52 ('รวม 19 หมู่บ้าน') says 19 rows, 18 loaded"
    ]


def test_a_count_of_projects_is_named_as_such():
    outcome = check_control_totals(totals("projects", 12, 11))
    assert outcome.failures == [
        "file register.xlsx, sheet ระยะที่ 1, row 52 ('รวม 19 หมู่บ้าน') says 12 projects, 11 loaded"
    ]


def test_a_sum_one_baht_off_fails_and_a_satang_of_float_noise_does_not():
    assert check_control_totals(totals("budget_allocated", 1_000_000.0, 999_999.999999)).passed
    outcome = check_control_totals(totals("budget_allocated", 1_000_001.0, 1_000_000.0))
    assert not outcome.passed
    assert outcome.failures == [
        "file register.xlsx, sheet ระยะที่ 1, row 52 ('รวม 19 หมู่บ้าน') says budget_allocated = "
        "1,000,001, the loaded rows sum to 1,000,000 (a difference of 1)"
    ]


def test_a_sum_that_differs_by_a_quarantined_row_is_explained_not_failed():
    outcome = check_control_totals(totals("budget_allocated", 1_200_000.0, 1_000_000.0, 1))
    assert outcome.passed
    assert len(outcome.observed["explained_by_quarantine"]) == 1


def volumes(current, replaced=0, previous=1000.0):
    return pd.DataFrame(
        [("survey", previous, current, replaced), ("register", 133.0, 133, 0)],
        columns=["source_kind", "previous_rows", "current_rows", "files_replaced"],
    )


def test_a_source_losing_rows_without_a_replaced_file_warns():
    assert check_volume_change(volumes(900), 0.2).passed
    assert check_volume_change(volumes(100, replaced=1), 0.2).passed
    assert check_volume_change(volumes(100, previous=None), 0.2).passed  # first run
    outcome = check_volume_change(volumes(100), 0.2)
    assert not outcome.passed
    assert outcome.failures == [
        "survey: 100 rows loaded, down from 1,000 at the previous successful run (90% fewer, "
        "threshold 20%), and no file of it was replaced since"
    ]


def test_rows_set_aside_are_counted_per_reason():
    set_aside = pd.DataFrame(
        [("survey_members", "its household is not in the warehouse", 6)],
        columns=["table_name", "reason", "rows"],
    )
    outcome = check_rows_set_aside(set_aside)
    assert not outcome.passed
    assert outcome.failures == [
        "survey_members: 6 row(s) set aside: its household is not in the warehouse (each is in "
        "fct_excluded_rows)"
    ]
    assert check_rows_set_aside(set_aside.iloc[0:0]).passed


def test_a_round_due_from_a_phase_with_no_village_in_the_register_still_fails():
    no_villages = rounds(0).assign(villages_expected=0).iloc[1:]
    outcome = check_survey_rounds_received(no_villages)
    assert outcome.failures == [
        "phase 1, round 2 (phase 1 follow-up of FY 2564, due 2021-09-30): no household "
        "received, and no village of phase 1 is in the target register to receive one from"
    ]
    assert not check_survey_round_coverage(no_villages).passed
