"""Analysts and BI tools keep reading while the pipeline runs: reader processes query the
published DuckDB file, and the published schema in PostgreSQL as a BI tool's read-only login,
in a loop while the pipeline materializes and publishes twice (and publishes ten more times on
its own, each copied into PostgreSQL). Not one read fails, and none sees a half-written
publication."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.run import run_pipeline
from serving.postgres_publication import publish_to_postgres
from serving.publication import PublishedPaths, publish, read_manifest
from sources.settings import settings_shared_with_dbt
from tests.e2e.published_reader import READER_URL_VARIABLE
from tests.postgres_helpers import bi_login, fetch, schema_stamp

# each reader: its arguments after the publication folder, stop file and report
READERS = {
    "duckdb-0": ["duckdb"],
    "duckdb-1": ["duckdb"],
    "postgres-pooled": ["postgres", "concurrency", "pooled"],
    "postgres-reconnecting": ["postgres", "concurrency", "reconnecting"],
}
POSTGRES_SCHEMA = "concurrency"
PIPELINE_RUNS = 2
EXTRA_PUBLICATIONS = 10
READER = Path(__file__).with_name("published_reader.py")


def reports(paths: dict[str, Path]) -> dict[str, dict]:
    return {
        name: json.loads(path.read_text()) if path.exists() else {"reads": 0, "errors": []}
        for name, path in paths.items()
    }


def test_readers_never_fail_while_the_pipeline_publishes(
    sample_run, pipeline_env, postgres_server, tmp_path
):
    data = tmp_path / "data"
    shutil.copytree(pipeline_env.data_dir, data)
    stop_file = tmp_path / "stop"
    report_files = {name: tmp_path / f"reader-{name}.json" for name in READERS}
    reader_url = bi_login(postgres_server, "roijai_reader", "bi_concurrency")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROIJAI_DATA_DIR", str(data))
        patch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
        patch.setenv("ROIJAI_POSTGRES_URL", postgres_server.url())
        patch.setenv("ROIJAI_POSTGRES_SCHEMA", POSTGRES_SCHEMA)
        patch.setenv(READER_URL_VARIABLE, reader_url)
        settings = settings_shared_with_dbt()
        published = PublishedPaths(settings.published_dir)
        publish_to_postgres(published, settings.postgres)  # the sample run's, to start from
        readers = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(READER),
                    arguments[0],
                    str(published.folder),
                    str(stop_file),
                    str(report_files[name]),
                    *arguments[1:],
                ]
            )
            for name, arguments in READERS.items()
        ]
        try:
            deadline = time.monotonic() + 60
            while min(r["reads"] for r in reports(report_files).values()) == 0:
                assert time.monotonic() < deadline, reports(report_files)
                time.sleep(0.2)
            runs = []
            with dg.DagsterInstance.ephemeral() as instance:
                for _ in range(PIPELINE_RUNS):
                    outcome = run_pipeline(settings, instance)
                    assert outcome.published, outcome.decision.message
                    assert outcome.postgres_error is None
                    runs.append(outcome.run_id)
            for number in range(EXTRA_PUBLICATIONS):
                publish(settings.duckdb_path, published, f"extra-{number}", {})
                publish_to_postgres(published, settings.postgres)
            reads_during_runs = {name: r["reads"] for name, r in reports(report_files).items()}
        finally:
            stop_file.touch()
            for reader in readers:
                reader.wait(timeout=60)

    results = reports(report_files)
    assert {name: r["errors"] for name, r in results.items()} == {name: [] for name in READERS}
    assert all(reads >= 20 for reads in reads_during_runs.values()), reads_during_runs
    # the PostgreSQL readers read across the swaps: they met publication after publication
    for name in ("postgres-pooled", "postgres-reconnecting"):
        assert len(results[name]["publications"]) >= 3, results[name]
    assert read_manifest(published)["pipeline_run_id"] == f"extra-{EXTRA_PUBLICATIONS - 1}"
    assert json.loads(schema_stamp(reader_url, POSTGRES_SCHEMA))["pipeline_run_id"] == (
        f"extra-{EXTRA_PUBLICATIONS - 1}"
    )
    leftovers = fetch(
        postgres_server.url(),
        f"select nspname from pg_namespace where nspname like '{POSTGRES_SCHEMA}\\_\\_%'",
    )
    assert leftovers == []  # no schema being loaded or renamed away is left
    assert len(runs) == PIPELINE_RUNS
