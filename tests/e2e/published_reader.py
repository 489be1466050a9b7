"""A reader of the published files, run as its own process by test_concurrency.py: opens the
published DuckDB read-only, checks the publication is whole, closes, again and again until the
stop file appears; writes how many reads it made and every error it met."""

import json
import os
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

EXPECTED_TABLES = 11


def read_once(folder: Path) -> None:
    with duckdb.connect(str(folder / "roijai.duckdb"), read_only=True) as connection:
        tables = connection.execute("select count(*) from duckdb_tables()").fetchone()[0]
        villages = connection.execute("select count(*) from mart_village").fetchone()[0]
        in_phases = connection.execute("select sum(actual_villages) from mart_phase").fetchone()[0]
    if tables != EXPECTED_TABLES or villages != in_phases or villages == 0:
        raise AssertionError(f"incomplete publication: {tables} tables, {villages}/{in_phases}")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    # one open handle: the swap replaces the path, not the file this reader has open
    with (folder / "parquet" / "mart_village.parquet").open("rb") as handle:
        parquet = pq.read_table(handle)
    if parquet.num_rows != manifest["tables"]["mart_village"]["rows"]:
        raise AssertionError(f"parquet has {parquet.num_rows} rows, the manifest says otherwise")


def write_report(path: Path, report: dict) -> None:
    """Atomically: the test reads the report while this process keeps rewriting it."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(report))
    os.replace(temporary, path)


def main(folder: str, stop_file: str, report: str) -> None:
    reads, errors = 0, []
    while not Path(stop_file).exists():
        try:
            read_once(Path(folder))
            reads += 1
        except Exception as error:  # every failure is the finding: record it, keep reading
            errors.append(f"{type(error).__name__}: {error}")
        write_report(Path(report), {"reads": reads, "errors": errors[:20]})
        time.sleep(0.01)


if __name__ == "__main__":
    main(*sys.argv[1:4])
