"""The programme's rules, checked against the marts: targets and provinces (what is due when
is judged in expectations.completeness).

Targets are not written here: they come with the data, from the programme_targets and
programme_provinces seeds (mart_phase carries the targets beside the actual counts).
"""

from __future__ import annotations

import pandas as pd

from expectations.gx_validation import failing_rows, validate
from expectations.outcome import CheckOutcome

PHASE_LEVELS = ("villages", "subdistricts", "districts")


def describe_gap(phase: object, level: str, actual: object, target: object) -> str:
    phase = "no phase" if pd.isna(phase) else f"phase {int(phase)}"  # ints may come as floats
    actual = int(actual)
    if pd.isna(target):
        return f"{phase}: {actual} {level} but the targets seed has no target for it"
    difference = actual - int(target)
    direction = f"{-difference} short" if difference < 0 else f"{difference} over"
    return f"{phase}: {actual} {level} against a target of {int(target)} ({direction})"


def check_phase_targets(mart_phase: pd.DataFrame) -> CheckOutcome:
    """Per phase, the villages, subdistricts and districts reached equal their targets."""
    import great_expectations.expectations as gxe

    frame = mart_phase.reset_index(drop=True)
    expectations = [gxe.ExpectTableRowCountToBeBetween(min_value=1)] + [
        gxe.ExpectColumnPairValuesToBeEqual(column_A=f"actual_{level}", column_B=f"target_{level}")
        for level in PHASE_LEVELS
    ]
    row_count, *level_results = validate(frame, "phase_targets_met", expectations)
    failures = [] if row_count.success else ["mart_phase has no rows: no targets and no villages"]
    for level, result in zip(PHASE_LEVELS, level_results, strict=True):
        for _, row in failing_rows(frame, result).iterrows():
            failures.append(
                describe_gap(row["phase"], level, row[f"actual_{level}"], row[f"target_{level}"])
            )
    return CheckOutcome.of(
        passed=row_count.success and all(r.success for r in level_results),
        observed=frame[["phase", *(f"actual_{level}" for level in PHASE_LEVELS)]].to_dict(
            "records"
        ),
        expected=frame[["phase", *(f"target_{level}" for level in PHASE_LEVELS)]].to_dict(
            "records"
        ),
        failures=failures,
    )


def check_province_coverage(
    village_provinces: pd.Series, programme_provinces: list[str]
) -> CheckOutcome:
    """The target villages lie in exactly the programme's provinces: none missing, none extra."""
    import great_expectations.expectations as gxe

    frame = pd.DataFrame({"province_code": village_provinces.astype("string")})
    (result,) = validate(
        frame,
        "programme_provinces_covered",
        [
            gxe.ExpectColumnDistinctValuesToEqualSet(
                column="province_code", value_set=programme_provinces
            )
        ],
    )
    observed = sorted(frame["province_code"].dropna().unique().tolist())
    missing = sorted(set(programme_provinces) - set(observed))
    extra = sorted(set(observed) - set(programme_provinces))
    failures = []
    if missing:
        failures.append(f"no target village in province(s) {', '.join(missing)}")
    if extra:
        failures.append(f"target villages in province(s) outside the programme: {', '.join(extra)}")
    return CheckOutcome.of(
        passed=result.success,
        observed=observed,
        expected=sorted(programme_provinces),
        failures=failures or ([] if result.success else [str(result.result)]),
    )
