"""The warehouse's models built on Apache Spark, from its raw tables (docs/scale-out.md): what
shows that the dbt project runs on a distributed engine, and what a move to a cluster starts
from. No Dagster: `make spark` and the equivalence test call it.

The tables the dbt sources name are exported as Parquet (sources/raw_export.py); then, in one
process (orchestration/spark_dbt.py: Spark in local mode inside dbt, the `spark` target of
profiles.yml), `dbt run-operation register_parquet_sources` makes the sources views over them
(macros/parquet_sources.sql) and `dbt build` builds the seeds and models; that process runs
in the Spark environment (SPARK_ENVIRONMENT), this one in the pipeline's. The data tests and
unit tests are left to DuckDB, which runs them on every pipeline run. Spark writes each table
as Parquet under its warehouse folder, `<work>/spark-warehouse/<schema>.db/<table>/`, which
DuckDB and any other engine reads.

    python -m orchestration.spark_build    # the warehouse of ROIJAI_DATA_DIR -> <data>/spark/
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from orchestration import dbt_child
from orchestration.dbt_project import roijai_dbt_project
from sources.raw_export import export_tables
from sources.settings import REPO_ROOT, evaluation_date, load_settings

# The Spark target runs in an environment of its own (the project with the `spark` dependency
# group: dbt-spark and pyspark), made by `make spark` and `make test`, so that the pipeline's
# environment never holds pyspark (Great Expectations imports it whenever it is installed).
SPARK_ENVIRONMENT = REPO_ROOT / ".venv-spark"
SPARK_TARGET = "spark"
WAREHOUSE_VARIABLE = "ROIJAI_SPARK_WAREHOUSE_DIR"  # profiles.yml reads it
MARTS_SCHEMA = "main"  # the spark target's schema: the marts and dimensions
MARTS_FOLDER = "marts"  # dbt_project/models/marts
LOG_LINES_SHOWN = 40


class SparkBuildError(RuntimeError):
    """dbt could not build the models on Spark; the message ends with dbt's last lines."""


@dataclass(frozen=True)
class SparkBuild:
    """The folders of one build on Spark, under `work_dir`."""

    work_dir: Path

    @property
    def raw_dir(self) -> Path:
        """The source tables, as Parquet."""
        return self.work_dir / "raw"

    @property
    def warehouse_dir(self) -> Path:
        """Spark's tables, as Parquet."""
        return self.work_dir / "spark-warehouse"

    @property
    def target_dir(self) -> Path:
        """dbt's target folder (its run_results.json), apart from the DuckDB builds'."""
        return self.work_dir / "target"

    @property
    def log_path(self) -> Path:
        """What dbt printed."""
        return self.work_dir / "dbt.log"

    def schema_folder(self, schema: str = MARTS_SCHEMA) -> Path:
        """Where Spark wrote the tables of a schema, a folder each (managed tables)."""
        return self.warehouse_dir / f"{schema}.db"

    def node_seconds(self) -> dict[str, float]:
        """How long each seed and model took, from dbt's run_results.json."""
        results = json.loads((self.target_dir / "run_results.json").read_text(encoding="utf-8"))
        return {result["unique_id"]: result["execution_time"] for result in results["results"]}


def source_tables(manifest: dict) -> list[str]:
    """Every `schema.table` the dbt sources name: what Spark needs from the warehouse."""
    return sorted({f"{s['schema']}.{s['identifier']}" for s in manifest["sources"].values()})


def mart_models(manifest: dict) -> list[str]:
    """The models of dbt_project/models/marts: the facts, marts and dimensions."""
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == MARTS_FOLDER
    )


def spark_executable(name: str = "python") -> Path:
    """A program of the Spark environment (its python, its dbt)."""
    path = SPARK_ENVIRONMENT / "bin" / name
    if not path.exists():
        raise SparkBuildError(
            f"{path} is missing: the Spark environment is made by make spark (or make test)"
        )
    return path


def read_manifest() -> dict:
    return json.loads(roijai_dbt_project.manifest_path.read_text(encoding="utf-8"))


def dbt_commands(build: SparkBuild, as_of: date) -> list[list[str]]:
    """The dbt commands, run in one process: the sources as views over the Parquet folder,
    then the seeds and models (no tests) as of `as_of`."""
    common = [
        "--target",
        SPARK_TARGET,
        "--project-dir",
        str(roijai_dbt_project.project_dir),
        "--profiles-dir",
        str(roijai_dbt_project.project_dir),
        "--target-path",
        str(build.target_dir),
        "--log-path",
        str(build.work_dir / "logs"),
    ]
    register = ["run-operation", "register_parquet_sources"]
    register += ["--args", json.dumps({"folder": str(build.raw_dir)}), *common]
    variables = json.dumps({"as_of": as_of.isoformat()})
    models = ["--resource-type", "seed", "--resource-type", "model"]
    return [register, ["build", *models, "--vars", variables, *common]]


def build_on_spark(warehouse_path: Path, work_dir: Path, as_of: date) -> SparkBuild:
    """Export the warehouse's source tables and build every seed and model on Spark, as of
    `as_of` (the evaluation date the DuckDB build used, for the same marts). A build starts
    from empty folders: what an earlier one left in `work_dir` is removed."""
    build = SparkBuild(work_dir)
    for folder in (build.raw_dir, build.warehouse_dir):
        shutil.rmtree(folder, ignore_errors=True)
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        export_tables(connection, source_tables(read_manifest()), build.raw_dir)
    command = [
        str(spark_executable()),
        "-m",
        "orchestration.spark_dbt",
        json.dumps(dbt_commands(build, as_of)),
    ]
    environment = os.environ | {
        WAREHOUSE_VARIABLE: str(build.warehouse_dir),
        dbt_child.PARENT_VARIABLE: str(os.getpid()),  # dbt, and Spark in it, die with us
    }
    with build.log_path.open("w", encoding="utf-8") as log:
        finished = subprocess.run(
            command, cwd=work_dir, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
    if finished.returncode != 0:
        lines = build.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        raise SparkBuildError(
            f"dbt on Spark failed (exit {finished.returncode}; the whole log: "
            f"{build.log_path}):\n" + "\n".join(lines[-LOG_LINES_SHOWN:])
        )
    return build


def main() -> int:
    settings = load_settings()
    if not settings.duckdb_path.exists():
        print(f"no warehouse at {settings.duckdb_path}: make run builds it", file=sys.stderr)
        return 1
    work_dir = settings.data_dir / "spark"
    work_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        build = build_on_spark(settings.duckdb_path, work_dir, evaluation_date())
    except SparkBuildError as error:
        print(error, file=sys.stderr)
        return 1
    seconds = build.node_seconds()
    for unique_id, node_seconds in sorted(seconds.items(), key=lambda item: -item[1]):
        print(f"{node_seconds:7.2f} s  {unique_id}")
    print(
        f"{len(seconds)} seeds and models built on Spark in {sum(seconds.values()):.0f} s "
        f"(the whole build, with Spark's start and the export: "
        f"{time.monotonic() - started:.0f} s); tables in {build.warehouse_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
