"""Benchmarks of the whole pipeline: ``make run`` on the sample against its own work without
the orchestrator (``pipeline_sample``), and a run when nothing new has landed with 1,000 files
in the ledger against the same with the sample's (``noop_run_1000``, and the landing sensor's
tick: ``sensor_tick_1000``). See docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg

from bench import raw_pipeline
from bench.measure import compare, log
from orchestration.automation import landing_files
from orchestration.resources import LandingResource
from sources.programme_seeds import phase_targets
from sources.pseudonymize import KEY_VARIABLE
from sources.sample.generate import build_villages, write_odk_survey
from sources.settings import AS_OF_VARIABLE, DUCKDB_PATH_VARIABLE, REPO_ROOT, SAMPLE_LANDING_DIR

SEED = 2562
AS_OF = "2026-12-01"  # what is due is judged as of one day, the same in both runs
LEDGER_FILES = 1_000
HOUSEHOLDS_PER_FILE = 20


def pipeline_env(state: Path, landing: Path) -> dict[str, str]:
    """The environment of ``make run`` on ``landing`` with its data and Dagster home in
    ``state`` (created on first use)."""
    home = state / "dagster_home"
    if not home.exists():
        home.mkdir(parents=True)
        shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    inherited = {k: v for k, v in os.environ.items() if k != DUCKDB_PATH_VARIABLE}
    return {
        **inherited,  # without the warehouse path this process's settings exported
        "DAGSTER_HOME": str(home),
        "ROIJAI_DATA_DIR": str(state / "data"),
        "ROIJAI_LANDING_DIR": str(landing),
        "ROIJAI_SETTLE_SECONDS": "0",
        AS_OF_VARIABLE: AS_OF,
        KEY_VARIABLE: "62656e63682d6b6579",  # a fixed key: the landing is not only the sample
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "GX_ANALYTICS_ENABLED": "False",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }


def make_run(state: Path, landing: Path) -> None:
    """One ``make run`` (python -m orchestration.run) in its own process; stops the benchmark
    when the run fails (exit 1 is a run that only failed its checks: it ran)."""
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.run"],
        env=pipeline_env(state, landing),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    verdict = next((line for line in result.stdout.splitlines() if "pipeline:" in line), "")
    if result.returncode not in (0, 1) or "FAILED" in verdict.replace("FAILED its checks", ""):
        log(result.stdout[-3000:] + result.stderr[-3000:])
        raise RuntimeError(f"make run failed ({result.returncode}): {verdict}")


def pipeline_sample(root: Path) -> None:
    """make run on the sample vs the raw ingest alone plus dbt build alone, same files."""

    def baseline(work: Path) -> None:
        warehouse = work / "warehouse.duckdb"
        raw_pipeline.ingest_process(SAMPLE_LANDING_DIR, warehouse)
        raw_pipeline.dbt_build(warehouse, work / "target", "--vars", json.dumps({"as_of": AS_OF}))

    def candidate(work: Path) -> None:
        make_run(work, SAMPLE_LANDING_DIR)

    compare("pipeline_sample", baseline, candidate, 3, root)


def landing_with_files(root: Path, files: int) -> Path:
    """The sample's landing files and, to make up ``files``, small survey rounds (ODK CSVs of
    HOUSEHOLDS_PER_FILE households, each file its own content)."""
    landing = root / f"landing_{files}"
    shutil.copytree(SAMPLE_LANDING_DIR, landing)
    present = sum(1 for path in landing.rglob("*") if path.is_file())
    villages = build_villages(random.Random(SEED), phase_targets())
    rng = random.Random(SEED)
    for number in range(files - present):
        path = landing / "survey" / "history" / f"roijai_followup_2564_odk_{number:04d}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_odk_survey(villages, path, rng, HOUSEHOLDS_PER_FILE, members=False)
    return landing


def noop_run_1000(root: Path) -> None:
    """A run when nothing new has landed: 1,000 files in the ledger vs the sample's."""
    states = {}  # (data and Dagster home, landing) of the sample's files and of 1,000
    for name, landing in (("sample", SAMPLE_LANDING_DIR), ("many", None)):
        landing = landing or landing_with_files(root, LEDGER_FILES)
        log(f"noop_run_1000: the first run ingests {landing} (not timed)")
        make_run(root / f"state_{name}", landing)
        states[name] = (root / f"state_{name}", landing)

    compare(
        "noop_run_1000",
        lambda work: make_run(*states["sample"]),
        lambda work: make_run(*states["many"]),
        3,
        root,
    )

    with dg.DagsterInstance.ephemeral() as instance:  # as the daemon has one: not timed

        def tick(landing: Path, cursor: str | None) -> str | None:
            context = dg.build_sensor_context(
                instance=instance,
                cursor=cursor,
                resources={
                    "landing": LandingResource(landing_dir=str(landing), data_dir=str(root))
                },
            )
            landing_files(context)
            return context.cursor

        cursors = {name: tick(landing, None) for name, (_, landing) in states.items()}
        compare(
            "sensor_tick_1000",
            lambda work: tick(states["sample"][1], cursors["sample"]),
            lambda work: tick(states["many"][1], cursors["many"]),
            5,
            root,
        )
