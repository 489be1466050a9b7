"""The pipeline's own work without the orchestrator, the baseline of ``pipeline_sample``: every
landing file through the ingest and the geography into a warehouse (``ingest``), then one
``dbt build`` on it (``dbt_build``). Each runs as its own process, as the pipeline's do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from expectations.quality_tables import ensure_quality_tables
from orchestration.dbt_project import roijai_dbt_project
from sources.contracts import load_contracts
from sources.geography import write_geography_tables
from sources.ingest import ingest_folder
from sources.programme_seeds import programme_province_codes
from sources.resolve import GeographyResolver
from sources.settings import DUCKDB_PATH_VARIABLE

KEY = b"bench-key"


def ingest(landing_dir: Path, warehouse: Path) -> None:
    resolver = GeographyResolver(programme_province_codes())
    with duckdb.connect(str(warehouse)) as connection:
        for contract in load_contracts().values():
            ingest_folder(connection, landing_dir, contract, KEY, resolver)
        ensure_quality_tables(connection)
        write_geography_tables(connection, programme_province_codes())


def ingest_process(landing_dir: Path, warehouse: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "bench.raw_pipeline", str(landing_dir), str(warehouse)], check=True
    )


def dbt_build(warehouse: Path, target: Path, *args: str) -> None:
    """``dbt build`` (every node) on ``warehouse``, from the project's partial parse as a run
    of the pipeline starts from it, with its artifacts in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    partial_parse = Path(roijai_dbt_project.project_dir) / "target" / "partial_parse.msgpack"
    if partial_parse.exists():
        shutil.copy(partial_parse, target / partial_parse.name)
    subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "build", "--quiet", *args],
        cwd=roijai_dbt_project.project_dir,
        env={
            **os.environ,
            DUCKDB_PATH_VARIABLE: str(warehouse),
            "DBT_TARGET_PATH": str(target),
            "DBT_LOG_PATH": str(target),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        check=True,
    )


if __name__ == "__main__":
    ingest(Path(sys.argv[1]), Path(sys.argv[2]))
