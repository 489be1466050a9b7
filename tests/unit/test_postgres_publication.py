"""The publication copied into a real PostgreSQL 15 (started for the session): types kept,
text intact, swapped in whole, a failed copy changing nothing, and a read-only role that reads
the published schema and nothing else."""

import json
from decimal import Decimal

import duckdb
import psycopg
import pytest

from serving import postgres_publication
from serving.postgres_publication import (
    PostgresPublicationError,
    describe_server,
    postgres_type,
    publish_to_postgres,
)
from serving.publication import PublishedPaths, publish, read_manifest
from sources.settings import PostgresTarget, postgres_target
from tests.postgres_helpers import bi_login, fetch, schema_stamp

READER_ROLE = "roijai_reader"
THAI = "บ้านแม่ยางเก่า ตำบลเวียง"


def make_warehouse(path, villages=3, note=THAI):
    """A warehouse with a mart of every published type (money with its scale, a date, Thai
    text, integers, a boolean, a double) and what must never be published beside it."""
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema raw")
        connection.execute("create schema restricted")
        connection.execute(
            "create table main.mart_village as select range::integer as phase, "
            "range::bigint * 10000000000 as households, "
            "(range * 1234567.89)::decimal(18,2) as budget_allocated, "
            "date '2019-12-01' + range::integer as plan_date, "
            "? || range::varchar as village_name_th, range % 2 = 0 as is_surveyed, "
            "range / 3 as share_surveyed from range(?)",
            [note, villages],
        )
        connection.execute(
            "create table main.dim_geography as select 'เชียงราย' as name_th, null::date as d"
        )
        connection.execute("create table restricted.survey_households as select 1 as drug_use")
        connection.execute(
            "create table raw.ingest_ledger as select 'ทะเบียน.xlsx' as file_name, "
            "'register' as source_kind, 'abc' as file_sha256, now() as loaded_at, "
            "3 as rows_loaded, 'loaded' as status"
        )
    return path


@pytest.fixture
def target(postgres_server, request) -> PostgresTarget:
    """A schema of this test's own in the session's server."""
    schema = f"t_{request.node.name.removeprefix('test_')[:30]}"
    return PostgresTarget(postgres_server.url(), schema, READER_ROLE)


@pytest.fixture
def published(tmp_path) -> PublishedPaths:
    paths = PublishedPaths(tmp_path / "published")
    publish(make_warehouse(tmp_path / "w.duckdb"), paths, "run-1", {})
    return paths


def published_rows(paths: PublishedPaths, table: str) -> list[tuple]:
    with duckdb.connect(str(paths.database), read_only=True) as connection:
        return sorted(connection.execute(f"select * from {table}").fetchall(), key=repr)


def schemas(url: str, prefix: str) -> list[str]:
    return [
        name
        for (name,) in fetch(url, "select nspname from pg_namespace order by 1")
        if name.startswith(prefix)
    ]


def test_the_publication_is_copied_with_its_types_and_text(published, target):
    copy = publish_to_postgres(published, target)
    assert copy.tables == {"dim_geography": 1, "mart_village": 3}
    assert "password" not in repr(copy) and copy.server.startswith("roijai@127.0.0.1:")
    columns = fetch(
        target.url,
        "select column_name, data_type, numeric_precision, numeric_scale "
        f"from information_schema.columns where table_schema = '{target.schema}' "
        "and table_name = 'mart_village' order by ordinal_position",
    )
    assert columns == [
        ("phase", "integer", 32, 0),
        ("households", "bigint", 64, 0),
        ("budget_allocated", "numeric", 18, 2),
        ("plan_date", "date", None, None),
        ("village_name_th", "text", None, None),
        ("is_surveyed", "boolean", None, None),
        ("share_surveyed", "double precision", 53, None),
    ]
    in_postgres = sorted(fetch(target.url, f"select * from {target.schema}.mart_village"), key=repr)
    assert in_postgres == published_rows(published, "mart_village")  # value for value
    assert in_postgres[2][2] == Decimal("2469135.78") and in_postgres[2][4] == THAI + "2"
    (total,) = fetch(target.url, f"select sum(budget_allocated) from {target.schema}.mart_village")
    manifest = read_manifest(published)
    assert str(total[0]) == manifest["tables"]["mart_village"]["money_totals"]["budget_allocated"]
    assert json.loads(schema_stamp(target.url, target.schema)) == {
        "pipeline_run_id": "run-1",
        "published_at": manifest["published_at"],
    }
    assert sorted(
        fetch(target.url, f"select tablename from pg_tables where schemaname = '{target.schema}'")
    ) == [("dim_geography",), ("mart_village",)]


def test_a_new_publication_replaces_the_old_whole(tmp_path, published, target):
    publish_to_postgres(published, target)
    publish(make_warehouse(tmp_path / "w2.duckdb", villages=5), published, "run-2", {})
    copy = publish_to_postgres(published, target)
    assert copy.tables["mart_village"] == 5 and copy.old_schemas_left == []
    assert fetch(target.url, f"select count(*) from {target.schema}.mart_village") == [(5,)]
    assert json.loads(schema_stamp(target.url, target.schema))["pipeline_run_id"] == "run-2"
    assert schemas(target.url, target.schema) == [target.schema]  # no old or loading schema


def test_a_failed_load_leaves_the_published_schema_untouched(tmp_path, published, target):
    publish_to_postgres(published, target)
    before = fetch(target.url, f"select * from {target.schema}.mart_village order by phase")
    # text PostgreSQL cannot hold (a NUL character), in the last table loaded, so the first
    # is loaded already when the copy fails
    broken = make_warehouse(tmp_path / "w2.duckdb", villages=5, note="บ้าน\x00")
    publish(broken, published, "run-2", {})
    with pytest.raises(
        PostgresPublicationError,
        match=rf"schema {target.schema} at roijai@.*: mart_village: .*0x00",
    ):
        publish_to_postgres(published, target)
    assert fetch(target.url, f"select * from {target.schema}.mart_village order by phase") == before
    assert json.loads(schema_stamp(target.url, target.schema))["pipeline_run_id"] == "run-1"
    assert schemas(target.url, target.schema) == [target.schema]


def test_a_copy_whose_money_totals_differ_from_the_manifest_is_not_swapped_in(published, target):
    publish_to_postgres(published, target)
    manifest = read_manifest(published)
    totals = manifest["tables"]["mart_village"]["money_totals"]
    totals["budget_allocated"] = str(Decimal(totals["budget_allocated"]) + Decimal("0.01"))
    published.manifest.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(PostgresPublicationError, match=r"mart_village.budget_allocated: the total"):
        publish_to_postgres(published, target)
    assert schemas(target.url, target.schema) == [target.schema]
    assert fetch(target.url, f"select count(*) from {target.schema}.mart_village") == [(3,)]


def test_an_unreachable_server_is_named_without_its_password(published, target):
    unreachable = PostgresTarget("postgresql://roijai:s3cret@127.0.0.1:1/roijai", target.schema)
    with pytest.raises(PostgresPublicationError, match=r"roijai@127\.0\.0\.1:1/roijai") as error:
        publish_to_postgres(published, unreachable)
    assert "s3cret" not in str(error.value)


def test_the_read_only_role_reads_the_published_schema_and_nothing_else(
    published, target, postgres_server
):
    publish_to_postgres(published, target)
    for schema in ("restricted", "raw", "staging"):  # as if someone put them there
        postgres_server.psql(
            f"create schema if not exists {schema}; "
            f"create table if not exists {schema}.households as select 1 as household",
            user="roijai",
            password=postgres_server.owner_password,
        )
    postgres_server.psql(
        "create table if not exists public.notes as select 1 as note",
        user="roijai",
        password=postgres_server.owner_password,
    )
    reader = bi_login(postgres_server, READER_ROLE, "bi_unit")
    assert fetch(reader, f"select count(*) from {target.schema}.mart_village") == [(3,)]
    refused = [
        "select * from restricted.households",
        "select * from raw.households",
        "select * from staging.households",
        "select * from public.notes",
        f"create table {target.schema}.mine (i int)",
        "create table public.mine (i int)",
        f"delete from {target.schema}.mart_village",
        f"insert into {target.schema}.dim_geography values ('x', null)",
        "create schema mine",
    ]
    for statement in refused:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            fetch(reader, statement)
    assert fetch(target.url, f"select count(*) from {target.schema}.mart_village") == [(3,)]
    # the tables it is shown are published ones (this session's server holds several
    # publications, each stamped), none of the others
    visible = {
        schema
        for (schema,) in fetch(
            reader,
            "select distinct table_schema from information_schema.tables "
            "where table_schema not in ('pg_catalog', 'information_schema')",
        )
    }
    assert target.schema in visible
    assert not visible & {"restricted", "raw", "staging", "public"}
    assert all(schema_stamp(target.url, schema) for schema in visible), visible


def test_the_schema_being_loaded_cannot_be_read_before_the_swap(published, target, postgres_server):
    """Everything up to the swap is one transaction: no other session, the read-only role's
    or even the owner's, sees the schema being loaded."""
    reader = bi_login(postgres_server, READER_ROLE, "bi_unit")
    loading = f"{target.schema}__loading_x"
    manifest = read_manifest(published)
    with (
        postgres_publication.connect(target.url) as connection,
        duckdb.connect(str(published.database), read_only=True) as source,
    ):
        with connection.cursor() as cursor:
            postgres_publication.load(cursor, source, manifest, loading)
            cursor.execute(f"select count(*) from {loading}.mart_village")
            assert cursor.fetchall() == [(3,)]  # loaded, in the loading transaction
            for url in (reader, target.url):
                with pytest.raises(psycopg.errors.UndefinedTable):
                    fetch(url, f"select * from {loading}.mart_village")
        connection.rollback()
    assert schemas(target.url, target.schema) == []


def test_a_query_still_reading_the_old_schema_does_not_hold_up_the_swap(
    tmp_path, published, target, postgres_server
):
    reader = bi_login(postgres_server, READER_ROLE, "bi_unit")
    publish_to_postgres(published, target)
    publish(make_warehouse(tmp_path / "w2.duckdb", villages=5), published, "run-2", {})
    with psycopg.connect(reader) as long_reader:  # a transaction left open on the old tables
        query = f"select count(*) from {target.schema}.mart_village"
        assert long_reader.execute(query).fetchall() == [(3,)]
        copy = publish_to_postgres(published, target)
        assert fetch(reader, query) == [(5,)]  # a new query reads the new publication
        assert len(copy.old_schemas_left) == 1  # the old one waits for its last reader
        # the old tables are no longer granted: only the reader already on them reads them
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            fetch(reader, f"select count(*) from {copy.old_schemas_left[0]}.mart_village")
    assert publish_to_postgres(published, target).old_schemas_left == []
    assert schemas(target.url, target.schema) == [target.schema]


def test_the_read_only_role_is_created_once_without_login(published, target, postgres_server):
    role_target = PostgresTarget(target.url, target.schema, "roijai_reader_once")
    publish_to_postgres(published, role_target)
    publish_to_postgres(published, role_target)
    assert fetch(
        target.url, "select rolcanlogin from pg_roles where rolname = 'roijai_reader_once'"
    ) == [(False,)]


def test_a_read_only_role_the_account_may_not_create_is_named_with_the_fix(
    published, target, postgres_server
):
    created = postgres_server.psql(
        "do $$ begin if not exists (select from pg_roles where rolname = 'loader') then "
        "create role loader login password 'loader'; end if; end $$; "
        "grant create on database roijai to loader"
    )
    assert created.returncode == 0, created.stderr
    loader = PostgresTarget(
        postgres_server.url(user="loader", password="loader"), target.schema, "no_such_reader"
    )
    with pytest.raises(PostgresPublicationError, match="create role no_such_reader nologin"):
        publish_to_postgres(published, loader)


def test_a_duckdb_type_without_a_postgres_type_is_named():
    assert postgres_type("mart_x", "amount", "DECIMAL(18,2)") == "numeric(18,2)"
    with pytest.raises(
        PostgresPublicationError, match=r"mart_x.tags has the DuckDB type VARCHAR\[\]"
    ):
        postgres_type("mart_x", "tags", "VARCHAR[]")


def test_the_server_is_described_without_its_password():
    assert describe_server("postgresql://bi:pa%40ss@db.example:5433/warehouse") == (
        "bi@db.example:5433/warehouse"
    )


def test_postgres_settings_come_from_the_environment(monkeypatch):
    assert postgres_target() is None
    monkeypatch.setenv("ROIJAI_POSTGRES_URL", "postgresql://u:p@localhost/db")
    target = postgres_target()
    assert (target.schema, target.reader_role) == ("roijai", "roijai_reader")
    assert "u:p" not in repr(target)
    monkeypatch.setenv("ROIJAI_POSTGRES_SCHEMA", "Published; drop")
    with pytest.raises(ValueError, match="ROIJAI_POSTGRES_SCHEMA="):
        postgres_target()
    monkeypatch.setenv("ROIJAI_POSTGRES_SCHEMA", "bi")
    monkeypatch.setenv("ROIJAI_POSTGRES_URL", "host=localhost dbname=db")
    with pytest.raises(ValueError, match="ROIJAI_POSTGRES_URL is not a postgresql:// URL"):
        postgres_target()
