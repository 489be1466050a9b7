"""What a build on Spark exports, builds and compares, read from the dbt manifest (the build
itself: tests/e2e/test_spark_marts.py)."""

import json
from datetime import date
from pathlib import Path

from orchestration.spark_build import (
    SparkBuild,
    dbt_commands,
    mart_models,
    read_manifest,
    source_tables,
)

MANIFEST = read_manifest()


def test_the_sources_exported_are_the_raw_restricted_and_reference_tables_dbt_reads():
    tables = source_tables(MANIFEST)
    assert {"raw.survey_households", "restricted.survey_households"} <= set(tables)
    assert "reference.geo_subdistricts" in tables
    assert {table.split(".")[0] for table in tables} == {"raw", "restricted", "reference"}
    seeds = {node["name"] for node in MANIFEST["nodes"].values() if node["resource_type"] == "seed"}
    assert not seeds & {table.split(".")[1] for table in tables}  # Spark loads the seeds itself


def test_the_marts_compared_are_the_models_of_the_marts_folder():
    marts = mart_models(MANIFEST)
    assert {"mart_village", "mart_phase", "dim_geography", "fct_household_surveys"} <= set(marts)
    assert not [name for name in marts if name.startswith(("stg_", "int_"))]


def test_dbt_views_the_parquet_folder_then_builds_seeds_and_models_on_spark(tmp_path: Path):
    build = SparkBuild(tmp_path)
    register, models = dbt_commands(build, date(2026, 12, 1))
    assert register[:2] == ["run-operation", "register_parquet_sources"]
    assert json.loads(register[register.index("--args") + 1]) == {"folder": str(build.raw_dir)}
    assert models[0] == "build"
    types = [models[i + 1] for i, argument in enumerate(models) if argument == "--resource-type"]
    assert types == ["seed", "model"]  # no data or unit tests: DuckDB runs them
    assert json.loads(models[models.index("--vars") + 1]) == {"as_of": "2026-12-01"}
    for command in (register, models):
        assert command[command.index("--target") + 1] == "spark"
        assert command[command.index("--target-path") + 1] == str(build.target_dir)
    assert build.schema_folder() == tmp_path / "spark-warehouse" / "main.db"
