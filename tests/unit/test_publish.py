"""Publication copies only the marts and dimensions, swaps files in atomically (a reader with
the old file open keeps its version), and a failed build leaves the last publication alone."""

import json

import duckdb
import pandas as pd
import pytest

from serving.publication import TEMPORARY_SUFFIX, PublishedPaths, publish, read_manifest


def make_warehouse(path, villages=3):
    with duckdb.connect(str(path)) as connection:
        for schema in ("raw", "staging", "restricted", "quality"):
            connection.execute(f"create schema {schema}")
        connection.execute(
            f"create table main.mart_village as select range as village from range({villages})"
        )
        connection.execute("create table main.dim_geography as select 'จังหวัดเชียงราย' as name")
        connection.execute("create table main.fct_household_surveys as select 1 as household")
        connection.execute("create table staging.mart_lookalike as select 1 as x")
        connection.execute("create table restricted.survey_households as select 1 as drug_use")
        connection.execute("create table quality.check_results as select 1 as x")
        connection.execute(
            "create table raw.ingest_ledger as select 'ทะเบียน.xlsx' as file_name, "
            "'register' as source_kind, 'abc' as file_sha256, now() as loaded_at, "
            "3 as rows_loaded, 'loaded' as status"
        )
    return path


@pytest.fixture
def paths(tmp_path):
    return PublishedPaths(tmp_path / "published")


def test_only_marts_and_dimensions_are_published_with_a_manifest(tmp_path, paths):
    manifest = publish(make_warehouse(tmp_path / "w.duckdb"), paths, "run-1", {"counts": {}})
    with duckdb.connect(str(paths.database), read_only=True) as connection:
        tables = connection.execute(
            "select schema_name, table_name from duckdb_tables() order by 2"
        ).fetchall()
    assert tables == [("main", "dim_geography"), ("main", "mart_village")]
    assert sorted(p.name for p in paths.parquet.iterdir()) == [
        "dim_geography.parquet",
        "mart_village.parquet",
    ]
    assert pd.read_parquet(paths.parquet / "mart_village.parquet")["village"].tolist() == [0, 1, 2]
    assert read_manifest(paths) == json.loads(json.dumps(manifest, default=str))
    assert manifest["tables"]["mart_village"] == {
        "rows": 3,
        "parquet": "parquet/mart_village.parquet",
    }
    assert manifest["pipeline_run_id"] == "run-1"
    assert [f["file_name"] for f in manifest["source_files"]] == ["ทะเบียน.xlsx"]


def test_a_reader_keeps_its_version_while_a_new_one_is_swapped_in(tmp_path, paths):
    warehouse = make_warehouse(tmp_path / "w.duckdb", villages=3)
    publish(warehouse, paths, "run-1", {})
    with duckdb.connect(str(paths.database), read_only=True) as reader:
        make_warehouse(tmp_path / "w2.duckdb", villages=5)
        publish(tmp_path / "w2.duckdb", paths, "run-2", {})
        assert reader.execute("select count(*) from mart_village").fetchone() == (3,)
    with duckdb.connect(str(paths.database), read_only=True) as reader:
        assert reader.execute("select count(*) from mart_village").fetchone() == (5,)
    assert read_manifest(paths)["pipeline_run_id"] == "run-2"
    assert list(paths.folder.rglob(f"*{TEMPORARY_SUFFIX}")) == []


def test_a_failed_build_leaves_the_last_publication_and_no_leftovers(tmp_path, paths):
    publish(make_warehouse(tmp_path / "w.duckdb"), paths, "run-1", {})
    before = paths.database.read_bytes()
    with pytest.raises(duckdb.Error):
        publish(tmp_path / "not-a-warehouse.duckdb", paths, "run-2", {})
    assert paths.database.read_bytes() == before
    assert read_manifest(paths)["pipeline_run_id"] == "run-1"
    assert list(paths.folder.rglob(f"*{TEMPORARY_SUFFIX}")) == []


def test_leftovers_of_an_interrupted_publication_are_cleared(tmp_path, paths):
    paths.parquet.mkdir(parents=True)
    leftover = paths.parquet / f".mart_village.parquet.dead{TEMPORARY_SUFFIX}"
    leftover.write_bytes(b"half a file")
    publish(make_warehouse(tmp_path / "w.duckdb"), paths, "run-1", {})
    assert not leftover.exists()


def test_a_stale_wal_of_the_old_file_is_not_replayed_over_the_new_one(tmp_path, paths):
    publish(make_warehouse(tmp_path / "w.duckdb", villages=3), paths, "run-1", {})
    wal = paths.database.with_name(paths.database.name + ".wal")
    wal.write_bytes(b"a WAL left by a process that opened the published file read-write")
    publish(make_warehouse(tmp_path / "w2.duckdb", villages=5), paths, "run-2", {})
    assert not wal.exists()
    with duckdb.connect(str(paths.database), read_only=True) as reader:
        assert reader.execute("select count(*) from mart_village").fetchone() == (5,)


def test_snapshots_of_tables_no_longer_published_are_removed(tmp_path, paths):
    stale = paths.parquet / "mart_retired.parquet"
    paths.parquet.mkdir(parents=True)
    stale.write_bytes(b"old")
    publish(make_warehouse(tmp_path / "o'brien.duckdb"), paths, "run-1", {})
    assert not stale.exists()
