"""Publication copies only the marts and dimensions, swaps files in atomically (a reader with
the old file open keeps its version), and a failed build leaves the last publication alone."""

import json
import os
import stat
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from serving import publication
from serving.publication import TEMPORARY_SUFFIX, PublishedPaths, publish, read_manifest
from sources.settings import PRIVATE_UMASK, REPO_ROOT, Settings


def make_warehouse(path, villages=3, more_marts=0):
    """A warehouse with a mart of `villages` rows and `more_marts` small marts beside it (each
    table takes blocks of its own in a DuckDB file, so many small ones make a file much
    larger than the log of writing them)."""
    with duckdb.connect(str(path)) as connection:
        for schema in ("raw", "staging", "restricted", "quality"):
            connection.execute(f"create schema {schema}")
        connection.execute(
            f"create table main.mart_village as select range as village from range({villages})"
        )
        connection.execute("create table main.dim_geography as select 'จังหวัดเชียงราย' as name")
        for number in range(more_marts):
            connection.execute(f"create table main.mart_{number} as select range from range(100)")
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
        "money_totals": {},  # it has no money column
    }
    assert manifest["pipeline_run_id"] == "run-1"
    assert [f["file_name"] for f in manifest["source_files"]] == ["ทะเบียน.xlsx"]


def test_the_manifest_holds_the_total_of_each_money_column_to_the_satang(tmp_path, paths):
    warehouse = make_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "create table main.mart_budget as select * from (values "
            "(1, 1234567.89::decimal(18,2), null::decimal(18,2), 0.5::double), "
            "(2, 0.11::decimal(18,2), null::decimal(18,2), 0.25::double)) "
            "as t(phase, budget_allocated, budget_disbursed, disbursement_rate)"
        )
    manifest = publish(warehouse, paths, "run-1", {})
    assert manifest["tables"]["mart_budget"]["money_totals"] == {
        "budget_allocated": "1234568.00",
        "budget_disbursed": None,  # no amount at all, not zero
    }


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


PUBLISH_UNDER_A_FILE_SIZE_LIMIT = """
import resource, signal, sys
from pathlib import Path
from serving.publication import PublishedPaths, publish
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
publish(Path(sys.argv[1]), PublishedPaths(Path(sys.argv[2])), "run-2", {})
"""


def test_a_disk_full_during_publication_changes_nothing_published(tmp_path, paths):
    """Every write past a limit fails (RLIMIT_FSIZE: what a full disk does to a write), at
    points from the first block of the new database to its last: each attempt fails loudly,
    the last publication stays whole and nothing of the attempt is left."""
    publish(make_warehouse(tmp_path / "w.duckdb", villages=3), paths, "run-1", {})
    before = {path: path.read_bytes() for path in paths.folder.rglob("*") if path.is_file()}
    bigger = make_warehouse(tmp_path / "w2.duckdb", villages=1000, more_marts=12)
    measured = PublishedPaths(tmp_path / "measured")
    publish(bigger, measured, "run-0", {})
    size = max(path.stat().st_size for path in measured.folder.rglob("*") if path.is_file())
    for limit in (4096, size // 3, size * 2 // 3, size - 4096):
        attempt = subprocess.run(
            [sys.executable, "-c", PUBLISH_UNDER_A_FILE_SIZE_LIMIT, str(bigger), str(paths.folder),
             str(limit)],
            capture_output=True, text=True, check=False, cwd=REPO_ROOT,
        )  # fmt: skip
        assert attempt.returncode != 0, f"published under a {limit}-byte limit"
        assert "Error" in attempt.stderr
        after = {path: path.read_bytes() for path in paths.folder.rglob("*") if path.is_file()}
        assert after == before, f"the publication changed under a {limit}-byte limit"
    with duckdb.connect(str(paths.database), read_only=True) as reader:
        assert reader.execute("select count(*) from mart_village").fetchone() == (3,)


def test_a_new_database_that_does_not_hold_what_was_built_is_never_swapped_in(
    tmp_path, paths, monkeypatch
):
    """The verification itself: a table lost between building and closing is caught."""
    publish(make_warehouse(tmp_path / "w.duckdb"), paths, "run-1", {})
    build = publication._build

    def build_then_lose_a_table(warehouse_path, paths, token):
        built = build(warehouse_path, paths, token)
        with duckdb.connect(str(publication._temporary(paths.database, token))) as connection:
            connection.execute("drop table mart_village")
        return built

    monkeypatch.setattr(publication, "_build", build_then_lose_a_table)
    with pytest.raises(publication.PublicationError, match="holds 1 tables"):
        publish(make_warehouse(tmp_path / "w2.duckdb", villages=5), paths, "run-2", {})
    assert read_manifest(paths)["pipeline_run_id"] == "run-1"
    assert list(paths.folder.rglob(f"*{TEMPORARY_SUFFIX}*")) == []


@pytest.fixture
def private_umask():
    """The pipeline's process: every file it creates is private (sources.settings)."""
    previous = os.umask(PRIVATE_UMASK)
    yield
    os.umask(previous)


def test_the_warehouse_is_private_and_the_publication_readable_by_others(
    tmp_path, paths, private_umask
):
    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", tmp_path / "landing")
    with settings.connect():
        pass
    make_warehouse(settings.duckdb_path)
    assert stat.S_IMODE(settings.duckdb_path.stat().st_mode) == 0o600
    tmp_path.chmod(0o700)
    publish(settings.duckdb_path, paths, "run-1", {})
    for path in [paths.folder, paths.parquet]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o755, path
    for path in [paths.database, paths.manifest, *paths.parquet.iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    # others pass through the data folder to the publication, but cannot list it
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o711


def test_table_hashes_tell_publications_apart_and_a_publication_not_whole(tmp_path, paths):
    publish(make_warehouse(tmp_path / "w.duckdb"), paths, "run-1", {})
    first = publication.table_hashes(paths)
    publish(make_warehouse(tmp_path / "again.duckdb"), paths, "run-2", {})
    assert publication.table_hashes(paths) == first  # another run, the same data
    publish(make_warehouse(tmp_path / "four.duckdb", villages=4), paths, "run-3", {})
    changed = publication.table_hashes(paths)
    assert changed["mart_village"] != first["mart_village"]
    assert changed["dim_geography"] == first["dim_geography"]
    manifest = read_manifest(paths)
    manifest["tables"]["mart_village"]["rows"] = 5
    paths.manifest.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(publication.PublicationError, match="mart_village: 4 rows, the manifest 5"):
        publication.table_hashes(paths)
