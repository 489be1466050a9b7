"""Analysts keep reading while the pipeline runs: reader processes query the published file in
a loop while the pipeline materializes and publishes twice (and publishes ten more times on
its own). Not one read fails, and none sees a half-written publication."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.run import run_pipeline
from serving.publication import PublishedPaths, publish, read_manifest
from sources.settings import settings_shared_with_dbt

READERS = 2
PIPELINE_RUNS = 2
EXTRA_PUBLICATIONS = 10
READER = Path(__file__).with_name("published_reader.py")


def reports(paths: list[Path]) -> list[dict]:
    return [json.loads(p.read_text()) if p.exists() else {"reads": 0, "errors": []} for p in paths]


def test_readers_never_fail_while_the_pipeline_publishes(sample_run, pipeline_env, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(pipeline_env.data_dir, data)
    stop_file = tmp_path / "stop"
    report_files = [tmp_path / f"reader-{n}.json" for n in range(READERS)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROIJAI_DATA_DIR", str(data))
        patch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
        settings = settings_shared_with_dbt()
        published = PublishedPaths(settings.published_dir)
        readers = [
            subprocess.Popen(
                [sys.executable, str(READER), str(published.folder), str(stop_file), str(report)]
            )
            for report in report_files
        ]
        try:
            deadline = time.monotonic() + 60
            while min(r["reads"] for r in reports(report_files)) == 0:
                assert time.monotonic() < deadline, reports(report_files)
                time.sleep(0.2)
            runs = []
            with dg.DagsterInstance.ephemeral() as instance:
                for _ in range(PIPELINE_RUNS):
                    outcome = run_pipeline(settings, instance)
                    assert outcome.published, outcome.decision.message
                    runs.append(outcome.run_id)
            for number in range(EXTRA_PUBLICATIONS):
                publish(settings.duckdb_path, published, f"extra-{number}", {})
            reads_during_runs = sum(r["reads"] for r in reports(report_files))
        finally:
            stop_file.touch()
            for reader in readers:
                reader.wait(timeout=60)

    results = reports(report_files)
    assert [r["errors"] for r in results] == [[]] * READERS
    assert reads_during_runs >= 20 * READERS
    assert read_manifest(published)["pipeline_run_id"] == f"extra-{EXTRA_PUBLICATIONS - 1}"
    assert len(runs) == PIPELINE_RUNS
