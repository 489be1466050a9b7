"""The programme's targets and provinces, read from the dbt seeds: the one place they live."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from sources.settings import REPO_ROOT

SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"
PHASE_LEVELS = ("village", "subdistrict", "district")


@dataclass(frozen=True)
class PhaseTarget:
    phase: int
    villages: int
    subdistricts: int
    districts: int


def _read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def phase_targets() -> dict[int, PhaseTarget]:
    counts: dict[int, dict[str, int]] = {}
    for row in _read_seed("programme_targets"):
        if row["level"] not in PHASE_LEVELS:
            continue  # the province target, the plan period and phase start dates
        counts.setdefault(int(row["phase"]), {})[row["level"]] = int(row["target_count"])
    return {
        phase: PhaseTarget(phase, c["village"], c["subdistrict"], c["district"])
        for phase, c in sorted(counts.items())
    }


def programme_province_codes() -> list[str]:
    return [row["province_code"] for row in _read_seed("programme_provinces")]
