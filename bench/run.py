"""Benchmarks: each case prints one line on stdout, ``NAME ratio=X peak_mb=Y``, where X is the
median candidate time over the median baseline time, both measured in this run, and Y the
candidate's peak memory in MB (bench.measure). Progress goes to stderr. See docs/benchmarks.md.
Usage::

    python -m bench.run              # every case
    python -m bench.run CASE ...     # some: survey_csv_1m agency_xlsx_100k pipeline_sample
                                     #   noop_run_1000 (prints sensor_tick_1000 too)
                                     #   households_10m (prints households_100k, _1m, _3m,
                                     #   _10m and incremental_1file; about an hour)
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import ingest_cases, pipeline_cases, scale_cases
from sources.programme_seeds import phase_targets, programme_province_codes
from sources.resolve import GeographyResolver
from sources.sample.generate import build_villages


def ingest_case(name: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        villages = build_villages(random.Random(ingest_cases.SEED), phase_targets())
        resolver = GeographyResolver(programme_province_codes())  # once per asset run too
        if name == "survey_csv_1m":
            path = ingest_cases.write_survey_csv(root, villages)
            ingest_cases.survey_csv_1m(path, resolver, root)
        else:
            path = ingest_cases.write_agency_xlsx(root, villages)
            ingest_cases.agency_xlsx_100k(path, resolver, root)

    return run


CASES: dict[str, Callable[[Path], None]] = {
    "survey_csv_1m": ingest_case("survey_csv_1m"),
    "agency_xlsx_100k": ingest_case("agency_xlsx_100k"),
    "pipeline_sample": pipeline_cases.pipeline_sample,
    "noop_run_1000": pipeline_cases.noop_run_1000,
    "households_10m": scale_cases.households_curve,
}


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in CASES]
    if unknown:
        print(f"unknown cases {unknown}; the cases are {list(CASES)}", file=sys.stderr)
        return 2
    for name in names or list(CASES):
        with tempfile.TemporaryDirectory(prefix=f"roijai-bench-{name}-") as temporary:
            CASES[name](Path(temporary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
