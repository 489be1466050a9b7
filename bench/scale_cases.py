"""The pipeline against the size of the household survey: the whole run (ingest, dbt build,
checks, publication) on 100,000 to 10,000,000 generated households with their members, each
against DuckDB's own ``read_csv`` of the same files; then one new file on the largest warehouse
against that whole run (``incremental_1file``). Each size is run once (a 10M run takes tens of
minutes); every result is also written to docs/benchmarks/households.json for the cost curve
(``python -m bench.plot``). See docs/benchmarks.md."""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb

from bench.households import write_round, write_rounds
from bench.measure import Measurement, log, measure
from bench.pipeline_cases import make_run, pipeline_env
from sources.programme_seeds import phase_targets
from sources.sample.generate import build_villages
from sources.settings import REPO_ROOT, SAMPLE_LANDING_DIR

SIZES = {"100k": 100_000, "1m": 1_000_000, "3m": 3_000_000, "10m": 10_000_000}
HOUSEHOLDS_PER_FILE = 250_000  # a round arrives per province or district, not in one file
NEW_FILE_HOUSEHOLDS = 10_000
RESULTS = REPO_ROOT / "docs" / "benchmarks" / "households.json"
STAGES = {  # a stage of the run: the steps it is made of (by prefix)
    "ingest": ("ingest_", "reference_geography"),
    "dbt": ("roijai_dbt_models",),
    "checks": ("ingest_quality_checks", "warehouse_quality_checks"),
}


def landing_of(root: Path, households: int) -> Path:
    """The sample's register, plans and agency files, and ``households`` in ODK rounds."""
    landing = root / "landing"
    shutil.copytree(SAMPLE_LANDING_DIR, landing, ignore=shutil.ignore_patterns("survey"))
    villages = build_villages(random.Random(2562), phase_targets())
    started = time.perf_counter()
    write_rounds(villages, landing / "survey", households, HOUSEHOLDS_PER_FILE)
    size = sum(p.stat().st_size for p in (landing / "survey").iterdir()) / 2**20
    took = time.perf_counter() - started
    log(f"{households:,} households written ({size:,.0f} MB) in {took:.0f} s")
    return landing


def read_csv_alone(landing: Path, work: Path) -> None:
    """The baseline: DuckDB's read_csv of every survey file into two tables, all text."""
    folder = landing / "survey"
    with duckdb.connect(str(work / "read_csv.duckdb")) as connection:
        for table, pattern in (("households", "*_odk_[0-9][0-9][0-9].csv"),
                               ("members", "*-members.csv")):  # fmt: skip
            connection.execute(
                f"create table {table} as select * from "
                f"read_csv('{folder}/{pattern}', all_varchar = true, union_by_name = true)"
            )


def stage_seconds(state: Path, landing: Path) -> dict[str, float]:
    """Seconds per stage of the last pipeline run and its publication, from the event log."""
    home = pipeline_env(state, landing)["DAGSTER_HOME"]
    with dg.DagsterInstance.local_temp(tempdir=home) as instance:
        runs = instance.get_runs(limit=2)  # the newest first: publication, pipeline
        seconds = {stage: 0.0 for stage in STAGES}
        for run in runs:
            starts = {}
            for record in instance.all_logs(run.run_id):
                event = record.dagster_event
                if event is None:
                    continue
                if event.event_type_value == "STEP_START":
                    starts[event.step_key] = record.timestamp
                elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                    took = record.timestamp - starts[event.step_key]
                    if event.step_key == "published":
                        seconds["publication"] = took
                    for stage, prefixes in STAGES.items():
                        if event.step_key.startswith(prefixes):
                            seconds[stage] += took
    return seconds


def households_case(name: str, households: int, root: Path, results: list[dict]) -> Path:
    """One size: the whole run vs read_csv; returns the run's state for a next run."""
    landing = landing_of(root, households)
    baseline = measure(lambda work: read_csv_alone(landing, work), root)
    state = root / f"state_{name}"
    run = measure(lambda work: make_run(state, landing), root)
    stages = stage_seconds(state, landing)
    report(f"households_{name}", households, baseline, run, stages, results)
    return state


def report(name, households, baseline: Measurement, run: Measurement, stages, results) -> None:
    log(
        f"{name}: read_csv {baseline.seconds:.1f} s; run {run.seconds:.1f} s, peak "
        f"{run.peak_mb:,.0f} MB; " + ", ".join(f"{s} {t:.1f} s" for s, t in stages.items())
    )
    print(f"{name} ratio={run.seconds / baseline.seconds:.2f} peak_mb={run.peak_mb:.0f}")
    results.append(
        {
            "case": name,
            "households": households,
            "baseline_seconds": round(baseline.seconds, 2),
            "seconds": round(run.seconds, 2),
            "peak_mb": round(run.peak_mb),
            "stages": {stage: round(seconds, 2) for stage, seconds in stages.items()},
        }
    )
    write_results(results)


def write_results(results: list[dict]) -> None:
    """This run's cases into docs/benchmarks/households.json, in the place of earlier results
    of the same cases and beside those of the cases it did not run (a run of some sizes keeps
    the others' points on the curve)."""
    earlier = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    ran = {result["case"] for result in results}
    kept = [result for result in earlier if result["case"] not in ran] + results
    kept.sort(key=lambda result: (result["case"] == "incremental_1file", result["households"]))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(kept, indent=2) + "\n", encoding="utf-8")


def households_curve(root: Path, sizes: dict[str, int] = SIZES) -> None:
    """Every size, then incremental_1file on the largest."""
    results: list[dict] = []
    for name, households in sizes.items():
        case_root = root / name
        case_root.mkdir()
        state = households_case(name, households, case_root, results)
        if name != list(sizes)[-1]:
            shutil.rmtree(case_root)
    landing = case_root / "landing"
    whole = results[-1]["seconds"]
    villages = build_villages(random.Random(2562), phase_targets())
    new_file = landing / "survey" / "roijai_followup_2565_odk_new.csv"
    with duckdb.connect() as connection:
        write_round(connection, villages, new_file, NEW_FILE_HOUSEHOLDS, 10**9, 2565)
    run = measure(lambda work: make_run(state, landing), root)
    stages = stage_seconds(state, landing)
    log(f"incremental_1file: {run.seconds:.1f} s against the whole run's {whole:.1f} s")
    report("incremental_1file", NEW_FILE_HOUSEHOLDS, Measurement(whole, 0), run, stages, results)


if __name__ == "__main__":  # some sizes only: python -m bench.scale_cases 100k 1m
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="roijai-bench-households-") as temporary:
        households_curve(Path(temporary), {name: SIZES[name] for name in sys.argv[1:]})
