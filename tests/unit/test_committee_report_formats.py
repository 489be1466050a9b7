"""The committee report's pure rules: B.E. dates, Thai numbers, suppression, the traffic
light, what changed since the previous report, and the tables' own checks."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from serving.committee_report.figures import sum_shown, suppression_k
from serving.committee_report.history import changes_table, previous_figures
from serving.committee_report.status import AMBER, GREEN, RED, village_status
from serving.committee_report.tables import Column, Table
from serving.committee_report.thai import (
    SUPPRESSED,
    suppressed_count,
    thai_change,
    thai_date,
    thai_datetime,
    thai_number,
    thai_percent,
    thai_points,
)


@pytest.mark.parametrize(
    ("day", "short", "expected"),
    [
        (date(2019, 12, 1), False, "1 ธันวาคม 2562"),  # phase 1 began (the seed)
        (date(2020, 2, 29), True, "29 ก.พ. 2563"),  # a leap day, C.E. 2020
        (date(2026, 1, 7), True, "7 ม.ค. 2569"),
        (None, False, "–"),
    ],
)
def test_thai_dates_are_buddhist_era(day, short, expected):
    assert thai_date(day, short) == expected


def test_a_moment_is_shown_in_bangkok_time():
    # 22:53 UTC on 6 December is 05:53 on 7 December in Bangkok
    assert thai_datetime(datetime(2026, 12, 6, 22, 53, tzinfo=UTC)) == "7 ธ.ค. 2569 เวลา 05:53 น."


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (76050000, 0, "76,050,000"),
        (Decimal("76050000.00"), 2, "76,050,000.00"),
        (-1833.333, 2, "-1,833.33"),
        (-0.001, 2, "0.00"),  # no minus before a zero
        (0, 0, "0"),
        (None, 0, "–"),
    ],
)
def test_thai_numbers(value, decimals, expected):
    assert thai_number(value, decimals) == expected


def test_changes_carry_their_sign_and_shares_their_percent():
    assert thai_change(Decimal("5730.86"), 2) == "+5,730.86"
    assert thai_change(-3, 0) == "-3"
    assert thai_change(0, 0) == "0"
    assert thai_percent(0.9266272189349113) == "92.7%"
    assert thai_percent(None) == "–"
    assert thai_points(-0.2333) == "-23.3"  # percentage points
    assert thai_points(0.0) == "0.0"


def test_a_suppressed_count_is_never_shown_and_never_added():
    assert suppressed_count(None) == SUPPRESSED
    assert suppressed_count(12) == "12"
    # a count flagged as suppressed is left out even when a value came with it
    assert sum_shown([(7, False), (3, True), (None, True), (9, False)]) == 16
    assert sum_shown([(3, True), (None, True)]) is None
    assert sum_shown([]) is None


def test_the_suppression_threshold_is_the_dbt_var(tmp_path):
    project = tmp_path / "dbt_project.yml"
    project.write_text("name: x\nvars:\n  suppression_k: 11\n", encoding="utf-8")
    assert suppression_k(project) == 11
    assert suppression_k() >= 1  # the project's own


VILLAGE = {
    "reporting_status": "complete",
    "missing_reports": None,
    "is_surveyed": True,
    "has_plan": True,
    "has_funded_project": True,
    "disbursement_rate": 0.95,
}


@pytest.mark.parametrize(
    ("change", "light", "reason"),
    [
        ({}, GREEN, None),
        ({"reporting_status": "missing", "missing_reports": "round 2"}, RED, "round 2"),
        ({"is_surveyed": False}, RED, "no baseline survey"),
        ({"has_funded_project": False, "disbursement_rate": None}, RED, "no funded project"),
        ({"reporting_status": "late"}, AMBER, "reports late"),
        ({"has_plan": False}, AMBER, "no village plan"),
        ({"disbursement_rate": 0.5}, AMBER, "50.0%"),
        ({"disbursement_rate": 0.8}, GREEN, None),  # the threshold itself is not behind
    ],
)
def test_traffic_light(change, light, reason):
    status = village_status(VILLAGE | change)
    assert status.light == light
    if reason is None:
        assert status.reasons == ()
    else:
        assert any(reason in text for text in status.reasons)


def test_red_reasons_come_before_amber_ones():
    status = village_status(VILLAGE | {"has_plan": False, "is_surveyed": False})
    assert status.light == RED
    assert "no baseline survey" in status.reasons[0]
    assert "no village plan" in status.reasons[1]


def _figures(folder, day, figures):
    (folder / day).mkdir(parents=True)
    document = {"as_of": day, "figures": figures}
    (folder / day / "figures.json").write_text(json.dumps(document), encoding="utf-8")


def test_the_previous_report_is_the_newest_earlier_one(tmp_path):
    _figures(tmp_path, "2026-10-01", {"a": {"value": 1}})
    _figures(tmp_path, "2026-11-01", {"a": {"value": 2}})
    _figures(tmp_path, "2026-12-07", {"a": {"value": 3}})  # the same day: not "previous"
    (tmp_path / "2026-11-15").mkdir()  # a report that never finished: no figures.json
    (tmp_path / "notes").mkdir()
    day, figures = previous_figures(tmp_path, date(2026, 12, 7))
    assert day == date(2026, 11, 1)
    assert figures == {"a": {"value": 2}}
    assert previous_figures(tmp_path, date(2026, 10, 1)) is None


def test_changes_compare_each_figure_with_the_previous_report():
    current = {
        "villages": {"th": "หมู่บ้าน", "en": "villages", "kind": "count", "value": 47},
        "rate": {"th": "อัตรา", "en": "rate", "kind": "share", "value": 0.9},
        "new": {"th": "ใหม่", "en": "new", "kind": "money", "value": 10.0},
    }
    previous = (date(2026, 11, 1), {"villages": {"value": 40}, "rate": {"value": 0.75}})
    table = changes_table(current, previous)
    rows = {row["key"]: row for row in table.rows}
    assert rows["villages"]["change"] == 7
    assert rows["rate"]["change"] == pytest.approx(0.15)
    assert rows["new"]["previous"] is None and rows["new"]["change"] is None
    change = next(column for column in table.columns if column.key == "change")
    assert change.shown(rows["villages"]) == "+7"
    assert change.shown(rows["rate"]) == "+15.0"  # percentage points
    assert "1 พฤศจิกายน 2569" in table.note
    assert "ไม่มีรายงานฉบับก่อนหน้า" in changes_table(current, None).note


def test_a_table_refuses_a_name_excel_cannot_take():
    columns = (Column("a", "ก", "a"),)
    with pytest.raises(ValueError, match="cannot name a sheet"):
        Table("t", "ชื่อ/ที่ใช้ไม่ได้", "ท", "t", columns, [], ("a",))
    with pytest.raises(ValueError, match="cannot name a sheet"):
        Table("t", "x" * 32, "ท", "t", columns, [], ("a",))
    with pytest.raises(ValueError, match="unknown kind"):
        Column("a", "ก", "a", "percentage")


def test_make_report_with_nothing_published_says_so(tmp_path, monkeypatch, capsys):
    from serving.committee_report.__main__ import main

    monkeypatch.setenv("ROIJAI_DATA_DIR", str(tmp_path))
    assert main() == 2
    assert "nothing is published" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()
