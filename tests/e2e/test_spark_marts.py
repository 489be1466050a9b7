"""The same dbt models on Apache Spark build the same marts as on DuckDB (docs/scale-out.md).

The sample's warehouse (the session's pipeline run) has its source tables exported as Parquet
and built on Spark in local mode (dbt-spark, `method: session`: orchestration/spark_build.py);
every table of dbt_project/models/marts is then read from both engines and compared: the same
columns with the same types, and the same rows, money as decimals to the satang, text as the
same characters (so the same UTF-8 bytes), shares as the same doubles. Only the incremental
facts' bookkeeping may differ, by design: when a row was built (rebuilt_at) and a hash of the
code that built it, the engine's own macros included (rules_fingerprint).
"""

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.dbt_project import roijai_dbt_project
from orchestration.spark_build import (
    SPARK_TARGET,
    WAREHOUSE_VARIABLE,
    build_on_spark,
    mart_models,
    read_manifest,
    spark_executable,
)
from sources.sql import sql_string
from tests.helpers import per_person_amounts

MARTS = mart_models(read_manifest())
BOOKKEEPING = {"rebuilt_at", "rules_fingerprint"}
PROFILES = roijai_dbt_project.project_dir / "profiles.yml"


@pytest.fixture(scope="module")
def spark_build(sample_run, pipeline_env, tmp_path_factory):
    """The sample on Spark, as of the evaluation date its DuckDB build used."""
    assert sample_run.success
    with duckdb.connect(str(pipeline_env.duckdb_path), read_only=True) as connection:
        dates = connection.execute(
            "select distinct as_of_date from main.fct_expected_reports"
        ).fetchall()
    assert len(dates) == 1, dates
    return build_on_spark(pipeline_env.duckdb_path, tmp_path_factory.mktemp("spark"), dates[0][0])


def spark_table(build, name: str) -> str:
    """The Parquet files Spark wrote for the mart, as DuckDB reads them."""
    return f"read_parquet({sql_string(str(build.schema_folder() / name / '*.parquet'))})"


def test_spark_built_every_mart(spark_build):
    built = sorted(p.name for p in spark_build.schema_folder().iterdir() if p.is_dir())
    assert built == MARTS


@pytest.mark.parametrize("name", MARTS)
def test_the_mart_is_the_same_on_spark(name, spark_build, warehouse):
    on_duckdb = warehouse.sql(f"select * from main.{name}")
    on_spark = warehouse.sql(f"select * from {spark_table(spark_build, name)}")
    assert list(zip(on_spark.columns, map(str, on_spark.types), strict=True)) == list(
        zip(on_duckdb.columns, map(str, on_duckdb.types), strict=True)
    )
    columns = ", ".join(c for c in on_duckdb.columns if c not in BOOKKEEPING)
    duckdb_rows = warehouse.sql(f"select {columns} from main.{name} order by all").fetchall()
    spark_rows = warehouse.sql(
        f"select {columns} from {spark_table(spark_build, name)} order by all"
    ).fetchall()
    assert len(spark_rows) == len(duckdb_rows)
    different = [
        (on_spark_row, on_duckdb_row)
        for on_spark_row, on_duckdb_row in zip(spark_rows, duckdb_rows, strict=True)
        if on_spark_row != on_duckdb_row
    ]
    assert not different, f"{len(different)} rows differ, the first (Spark, DuckDB): {different[0]}"


def test_amounts_per_person_round_to_the_same_satang_on_both_engines(tmp_path):
    """The sample may hold no tie at the satang; generated quotients do (41.00 / 40 = 1.025):
    money_per, as dbt compiles it for the spark target, gives the same amounts on Spark as
    on DuckDB, where a plain cast would round some of them the other way."""
    expression = compile_for_spark("{{ money_per('amount', 'people') }}", tmp_path)
    pairs = ", ".join(
        f"(cast('{amount}' as decimal(18, 2)), {people})" for amount, people in per_person_amounts()
    )
    query = f"select {expression} from (values {pairs}) as pairs(amount, people)"
    plain_cast = (
        "select cast(cast(amount as double) / nullif(people, 0) as decimal(18, 2)) "
        f"from (values {pairs}) as pairs(amount, people)"
    )
    with duckdb.connect() as connection:
        on_duckdb = [value for (value,) in connection.execute(query).fetchall()]
    on_spark, plain_casts_on_spark = on_spark_session([query, plain_cast], tmp_path)
    assert on_spark == [None if value is None else str(value) for value in on_duckdb]
    assert plain_casts_on_spark != on_spark  # the ties a plain cast rounds the other way


def compile_for_spark(call: str, work: Path) -> str:
    """A macro call as dbt compiles it for the spark target (no Spark started)."""
    compiled = subprocess.run(
        [str(spark_executable("dbt")), "compile", "--quiet", "--target", SPARK_TARGET,
         "--no-populate-cache", "--target-path", str(work / "target"),
         "--inline", f"select {call} as v"],
        cwd=roijai_dbt_project.project_dir,
        env={**os.environ, WAREHOUSE_VARIABLE: str(work / "warehouse")},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return compiled.strip().removeprefix("select").removesuffix("as v").strip()


# Queries (JSON on stdin) on a Spark session with the given settings; each one's first column
# as text (a decimal exactly) on the last line of stdout, as JSON.
SPARK_QUERIES = """
import json, sys
from pyspark.sql import SparkSession
builder = SparkSession.builder
for key, value in json.loads(sys.argv[1]).items():
    builder = builder.config(key, value)
spark = builder.getOrCreate()
results = [
    [None if row[0] is None else str(row[0]) for row in spark.sql(query).collect()]
    for query in json.load(sys.stdin)
]
spark.stop()
print(json.dumps(results))
"""


def on_spark_session(queries: list[str], work: Path) -> list[list[str | None]]:
    """The queries on a Spark session as the spark target of profiles.yml starts it (ANSI mode
    off, as dbt-spark sets it), in a process of its own: its JVM ends with it."""
    profile = yaml.safe_load(PROFILES.read_text(encoding="utf-8"))
    settings = profile["roijai"]["outputs"][SPARK_TARGET]["server_side_parameters"]
    settings |= {
        "spark.sql.warehouse.dir": str(work / "warehouse"),
        "spark.sql.ansi.enabled": "false",
    }
    finished = subprocess.run(
        [str(spark_executable()), "-c", SPARK_QUERIES, json.dumps(settings)],
        input=json.dumps(queries), capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    return json.loads(finished.stdout.splitlines()[-1])
