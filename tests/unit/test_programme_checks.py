"""Programme checks (targets, provinces, survey rounds) pass on data that meets the programme
and fail, saying how, on data that does not."""

import pandas as pd

from expectations.programme import (
    check_phase_targets,
    check_province_coverage,
    check_survey_round_coverage,
    survey_round_coverage,
)


def mart_phase(overrides=None):
    rows = {
        1: dict(phase=1, target_villages=47, actual_villages=47, target_subdistricts=33,
                actual_subdistricts=33, target_districts=19, actual_districts=19),
        2: dict(phase=2, target_villages=86, actual_villages=86, target_subdistricts=86,
                actual_subdistricts=86, target_districts=19, actual_districts=19),
    }  # fmt: skip
    for (phase, column), value in (overrides or {}).items():
        rows[phase][column] = value
    return pd.DataFrame(list(rows.values()))


def test_targets_met():
    outcome = check_phase_targets(mart_phase())
    assert outcome.passed
    assert outcome.failures == []


def test_one_village_short_fails_and_says_by_how_much():
    outcome = check_phase_targets(mart_phase({(1, "actual_villages"): 46}))
    assert not outcome.passed
    assert outcome.failures == ["phase 1: 46 villages against a target of 47 (1 short)"]


def test_every_level_and_direction_is_reported():
    outcome = check_phase_targets(
        mart_phase({(2, "actual_subdistricts"): 88, (1, "actual_districts"): 18})
    )
    assert not outcome.passed
    assert sorted(outcome.failures) == [
        "phase 1: 18 districts against a target of 19 (1 short)",
        "phase 2: 88 subdistricts against a target of 86 (2 over)",
    ]


def test_a_phase_without_targets_fails():
    frame = pd.concat(
        [
            mart_phase(),
            pd.DataFrame([dict(phase=3, actual_villages=2, actual_subdistricts=1,
                               actual_districts=1)]),
        ],
        ignore_index=True,
    )  # fmt: skip
    outcome = check_phase_targets(frame)
    assert not outcome.passed
    assert "phase 3: 2 villages but the targets seed has no target for it" in outcome.failures


def test_no_rows_at_all_fails():
    outcome = check_phase_targets(mart_phase().iloc[0:0])
    assert not outcome.passed


PROGRAMME = ["50", "56", "57", "58"]


def test_the_four_provinces_are_covered():
    villages = pd.Series(["50", "50", "56", "57", "58"])
    assert check_province_coverage(villages, PROGRAMME).passed


def test_a_missing_province_fails():
    outcome = check_province_coverage(pd.Series(["50", "57", "58"]), PROGRAMME)
    assert not outcome.passed
    assert outcome.failures == ["no target village in province(s) 56"]


def test_a_province_outside_the_programme_fails():
    outcome = check_province_coverage(pd.Series(["50", "56", "57", "58", "55"]), PROGRAMME)
    assert not outcome.passed
    assert outcome.failures == ["target villages in province(s) outside the programme: 55"]


def mart_village(received_by_code=None):
    """Two phase-1 villages with two rounds expected, three phase-2 villages with one."""
    villages = pd.DataFrame(
        [
            ("50010101", "บ้านป่าซาง", 1, 2, 2),
            ("50010102", "บ้านหนองบัว", 1, 2, 2),
            ("56020301", "บ้านแม่ใจ", 2, 1, 1),
            ("57030405", "บ้านดอยงาม", 2, 1, 1),
            ("58040506", "บ้านห้วยทราย", 2, 1, 1),
        ],
        columns=[
            "village_code",
            "village_name_th",
            "phase",
            "survey_rounds_expected",
            "survey_rounds_received",
        ],
    )
    for code, received in (received_by_code or {}).items():
        villages.loc[villages["village_code"] == code, "survey_rounds_received"] = received
    return villages


def test_every_expected_survey_round_reached_every_village():
    outcome = check_survey_round_coverage(mart_village())
    assert outcome.passed
    assert outcome.failures == []


def test_survey_round_coverage_counts_expected_and_surveyed_villages_per_round():
    coverage = survey_round_coverage(mart_village({"50010102": 1}))
    table = coverage[["phase", "survey_round", "villages_expected", "villages_surveyed"]]
    assert table.to_dict("records") == [
        {"phase": 1, "survey_round": 1, "villages_expected": 2, "villages_surveyed": 2},
        {"phase": 1, "survey_round": 2, "villages_expected": 2, "villages_surveyed": 1},
        {"phase": 2, "survey_round": 1, "villages_expected": 3, "villages_surveyed": 3},
    ]
    assert coverage["villages_missing"].tolist() == [[], ["50010102 บ้านหนองบัว"], []]


def test_a_phase_2_village_missing_its_baseline_fails_naming_the_village():
    villages = mart_village({"57030405": float("nan")})  # no questionnaire at all yet
    outcome = check_survey_round_coverage(villages)
    assert not outcome.passed
    assert outcome.failures == [
        "phase 2, round 1 (baseline): 2 of 3 villages surveyed (66.7%, minimum 100%); "
        "not surveyed: 57030405 บ้านดอยงาม"
    ]
