"""Programme checks (targets, provinces) pass on data that meets the programme
and fail, saying how, on data that does not."""

import pandas as pd

from expectations.targets import (
    check_phase_targets,
    check_province_coverage,
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
