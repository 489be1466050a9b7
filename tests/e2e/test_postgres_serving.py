"""The sample's publication served from PostgreSQL, as BI tools read it: every table equal to
the DuckDB publication row for row with its types kept, read with Thai text intact through
psql and through SQLAlchemy with psycopg by a login of the read-only role, which is refused
everything else; and the publish job's PostgreSQL step, copying and failing, in a real
Dagster run. docs/serving.md ("PostgreSQL for BI tools") has the recipes these run."""

import json
import os
import shutil
import subprocess
from decimal import Decimal

import dagster as dg
import duckdb
import psycopg
import pytest
import sqlalchemy as sa

from orchestration.definitions import build_definitions
from orchestration.run import publish_run
from serving.local_postgres import OWNER, POSTGRES_BIN
from serving.postgres_publication import publish_to_postgres
from serving.publication import PublishedPaths, read_manifest
from sources.settings import PostgresTarget, settings_shared_with_dbt
from tests.postgres_helpers import bi_login, fetch, schema_stamp

SCHEMA = "roijai"  # the default
READER_ROLE = "roijai_reader"
# DuckDB's type in the publication -> the type the BI tool meets in PostgreSQL
TYPES_KEPT = {
    "DECIMAL(18,2)": "numeric(18,2)",
    "DATE": "date",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "DOUBLE": "double precision",
}
PHASE_QUERY = f"select phase, actual_villages from {SCHEMA}.mart_phase order by phase"
PROVINCES_QUERY = (
    f"select distinct province_code, province_name_th from {SCHEMA}.mart_phase_province "
    "order by province_code"
)
# what must never reach a BI tool, as if it were in the same database
NOT_PUBLISHED = ("raw.survey_households", "staging.stg_survey__households", "restricted.answers")


@pytest.fixture(scope="module")
def target(published, postgres_server) -> PostgresTarget:
    target = PostgresTarget(postgres_server.url(), SCHEMA, READER_ROLE)
    publish_to_postgres(published, target)
    for table in NOT_PUBLISHED:
        schema = table.split(".")[0]
        created = postgres_server.psql(
            f"create schema if not exists {schema}; "
            f"create table if not exists {table} as select 'household-1' as household_id",
            user=OWNER,
            password=postgres_server.owner_password,
        )
        assert created.returncode == 0, created.stderr
    return target


@pytest.fixture(scope="module")
def reader(target, postgres_server) -> str:
    """A BI tool's login, a member of the read-only role."""
    return bi_login(postgres_server, READER_ROLE, "bi_tool")


def duckdb_rows(published: PublishedPaths, sql: str) -> list[tuple]:
    with duckdb.connect(str(published.database), read_only=True) as connection:
        return connection.execute(sql.replace(f"{SCHEMA}.", "")).fetchall()


def psql(url: str, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(POSTGRES_BIN / "psql"), "-X", "-At", "-F", "|", "-d", url, "-c", sql],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PGCLIENTENCODING": "UTF8"},
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def test_every_table_equals_the_duckdb_publication_row_for_row(published, target, reader):
    manifest = read_manifest(published)
    tables = fetch(reader, f"select tablename from pg_tables where schemaname = '{SCHEMA}'")
    assert sorted(name for (name,) in tables) == sorted(manifest["tables"])
    for table in manifest["tables"]:
        in_postgres = fetch(reader, f"select * from {SCHEMA}.{table}")
        assert sorted(in_postgres, key=repr) == sorted(
            duckdb_rows(published, f"select * from {table}"), key=repr
        ), table


def test_types_are_kept(published, target):
    columns = fetch(
        target.url,
        "select c.relname, a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a "
        "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
        f"where n.nspname = '{SCHEMA}' and a.attnum > 0 and not a.attisdropped",
    )
    in_postgres = {(table, column): kind for table, column, kind in columns}
    in_duckdb = duckdb_rows(
        published,
        "select table_name, column_name, data_type from duckdb_columns() "
        "where database_name = current_database() and schema_name = 'main'",
    )
    assert len(in_postgres) == len(in_duckdb)
    for table, column, kind in in_duckdb:
        assert in_postgres[(table, column)] == TYPES_KEPT[kind], (table, column, kind)
    assert (
        in_postgres[("mart_budget", "budget_allocated")] == "numeric(18,2)"
    )  # money, to the satang
    assert in_postgres[("mart_village", "community_vote_date")] == "date"


def test_rows_money_and_phase_targets_match_the_manifest(published, target, reader):
    manifest = read_manifest(published)
    for table, entry in manifest["tables"].items():
        totals = entry["money_totals"]
        sums = "".join(f", sum({column})" for column in totals)
        (rows, *found) = fetch(reader, f"select count(*){sums} from {SCHEMA}.{table}")[0]
        assert rows == entry["rows"], table
        assert found == [None if t is None else Decimal(t) for t in totals.values()], table
    assert manifest["tables"]["mart_budget"]["money_totals"]["budget_allocated"] is not None
    phases = fetch(
        reader,
        f"select target_villages, actual_villages, target_subdistricts, actual_subdistricts, "
        f"target_districts, actual_districts from {SCHEMA}.mart_phase order by phase",
    )
    assert phases == [(47, 47, 33, 33, 19, 19), (86, 86, 86, 86, 19, 19)]
    assert json.loads(schema_stamp(reader, SCHEMA))["pipeline_run_id"] == "test-run"


# psql, the CLI


def test_psql_reads_the_marts_with_thai_text_intact(published, reader):
    result = psql(reader, PROVINCES_QUERY)
    assert result.returncode == 0, result.stderr
    rows = [tuple(line.split("|")) for line in result.stdout.splitlines()]
    assert rows == duckdb_rows(published, PROVINCES_QUERY)
    assert ("50", "เชียงใหม่") in rows and ("58", "แม่ฮ่องสอน") in rows
    result = psql(reader, PHASE_QUERY)
    assert result.stdout.splitlines() == ["1|47", "2|86"]


def test_psql_as_the_read_only_login_is_refused_everything_else(reader):
    for table in NOT_PUBLISHED:
        result = psql(reader, f"select * from {table}")
        assert result.returncode != 0
        assert f"permission denied for schema {table.split('.')[0]}" in result.stderr
    result = psql(reader, f"delete from {SCHEMA}.mart_village")
    assert result.returncode != 0 and "permission denied for table mart_village" in result.stderr
    assert psql(reader, f"select count(*) from {SCHEMA}.mart_village").stdout == "133\n"


# SQLAlchemy with psycopg (Superset and other SQLAlchemy-based tools)


@pytest.fixture
def engine(reader):
    engine = sa.create_engine(reader.replace("postgresql://", "postgresql+psycopg://", 1))
    yield engine
    engine.dispose()


def test_sqlalchemy_psycopg_reads_the_marts_with_thai_text_intact(published, engine):
    with engine.connect() as connection:
        assert [tuple(row) for row in connection.execute(sa.text(PHASE_QUERY))] == [
            (1, 47),
            (2, 86),
        ]
        provinces = [tuple(row) for row in connection.execute(sa.text(PROVINCES_QUERY))]
    assert provinces == duckdb_rows(published, PROVINCES_QUERY)


def test_sqlalchemy_reflects_the_published_tables_and_their_types(published, engine):
    inspector = sa.inspect(engine)
    assert sorted(inspector.get_table_names(schema=SCHEMA)) == sorted(
        read_manifest(published)["tables"]
    )
    columns = {c["name"]: c["type"] for c in inspector.get_columns("mart_budget", schema=SCHEMA)}
    assert isinstance(columns["budget_allocated"], sa.Numeric)
    assert (columns["budget_allocated"].precision, columns["budget_allocated"].scale) == (18, 2)
    assert isinstance(columns["fiscal_year_be"], sa.Integer)


def test_sqlalchemy_as_the_read_only_login_is_refused_everything_else(engine):
    statements = [f"select * from {table}" for table in NOT_PUBLISHED]
    statements += [f"update {SCHEMA}.mart_phase set actual_villages = 0", "create schema bi"]
    for statement in statements:
        with engine.connect() as connection, pytest.raises(sa.exc.ProgrammingError) as refused:
            connection.execute(sa.text(statement))
        assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege), statement


# The publish job: the PostgreSQL step in a real Dagster run


@pytest.fixture
def data_copy(sample_run, pipeline_env, tmp_path, monkeypatch):
    """The sample run's data folder, copied: its publish job runs again on the copy."""
    data = tmp_path / "data"
    shutil.copytree(pipeline_env.data_dir, data)
    monkeypatch.setenv("ROIJAI_DATA_DIR", str(data))
    monkeypatch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
    monkeypatch.setenv("ROIJAI_POSTGRES_SCHEMA", "dagster_run")
    return data


def test_the_publish_job_copies_the_publication_into_postgresql(
    sample_run, data_copy, postgres_server, monkeypatch
):
    monkeypatch.setenv("ROIJAI_POSTGRES_URL", postgres_server.url())
    settings = settings_shared_with_dbt()
    with dg.DagsterInstance.ephemeral() as instance:
        outcome = publish_run(build_definitions(settings), instance, sample_run.run_id)
    assert (outcome["published"], outcome["publication_error"], outcome["postgres_error"]) == (
        True,
        None,
        None,
    )
    assert outcome["report_folder"]  # the committee report is made beside the copy
    stamp = json.loads(schema_stamp(postgres_server.url(), "dagster_run"))
    assert stamp == {
        "pipeline_run_id": sample_run.run_id,
        "published_at": read_manifest(PublishedPaths(settings.published_dir))["published_at"],
    }


def test_a_failed_postgresql_copy_fails_the_step_and_leaves_both_publications(
    sample_run, data_copy, postgres_server, monkeypatch
):
    monkeypatch.setenv("ROIJAI_POSTGRES_URL", postgres_server.url())
    paths = PublishedPaths(settings_shared_with_dbt().published_dir)
    publish_to_postgres(paths, settings_shared_with_dbt().postgres)  # what PostgreSQL serves
    served = schema_stamp(postgres_server.url(), "dagster_run")
    monkeypatch.setenv("ROIJAI_POSTGRES_URL", "postgresql://roijai:wrong@127.0.0.1:1/roijai")
    settings = settings_shared_with_dbt()
    with dg.DagsterInstance.ephemeral() as instance:
        outcome = publish_run(build_definitions(settings), instance, sample_run.run_id)
    published, error, postgres_error = (
        outcome["published"],
        outcome["publication_error"],
        outcome["postgres_error"],
    )
    assert (published, error) == (True, None)  # the DuckDB publication stands
    assert postgres_error.startswith("the PostgreSQL copy failed: cannot connect to PostgreSQL")
    assert "roijai@127.0.0.1:1/roijai" in postgres_error and "wrong" not in postgres_error
    assert read_manifest(paths)["pipeline_run_id"] == sample_run.run_id
    assert schema_stamp(postgres_server.url(), "dagster_run") == served
