"""A reader of the publication, run as its own process by test_concurrency.py: checks that the
publication is whole, again and again until the stop file appears; writes how many reads it
made, the publications it saw and every error it met.

    published_reader.py duckdb FOLDER STOP REPORT
        opens the published DuckDB read-only, reads, closes; and a Parquet snapshot
    published_reader.py postgres FOLDER STOP REPORT SCHEMA pooled|reconnecting
        reads the schema in PostgreSQL as a BI tool does (URL in ROIJAI_TEST_READER_URL):
        on one connection kept open (its repeated queries prepared by psycopg), or on a new
        connection each time
"""

import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pyarrow.parquet as pq

from serving.postgres_publication import stamp_query

EXPECTED_TABLES = 11
READER_URL_VARIABLE = "ROIJAI_TEST_READER_URL"


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def read_duckdb(folder: Path) -> str:
    with duckdb.connect(str(folder / "roijai.duckdb"), read_only=True) as connection:
        tables = connection.execute("select count(*) from duckdb_tables()").fetchone()[0]
        villages = connection.execute("select count(*) from mart_village").fetchone()[0]
        in_phases = connection.execute("select sum(actual_villages) from mart_phase").fetchone()[0]
    if tables != EXPECTED_TABLES or villages != in_phases or villages == 0:
        raise AssertionError(f"incomplete publication: {tables} tables, {villages}/{in_phases}")
    manifest = manifest_of(folder)
    # one open handle: the swap replaces the path, not the file this reader has open
    with (folder / "parquet" / "mart_village.parquet").open("rb") as handle:
        parquet = pq.read_table(handle)
    if parquet.num_rows != manifest["tables"]["mart_village"]["rows"]:
        raise AssertionError(f"parquet has {parquet.num_rows} rows, the manifest says otherwise")
    return manifest["pipeline_run_id"]


def read_postgres(connection: psycopg.Connection, schema: str, manifest: dict) -> str:
    """One read as a dashboard makes it, a query per figure: the villages, subdistricts and
    districts per phase against the targets of the programme_targets seed (mart_phase's
    target_* columns), then every table's rows and money totals against the manifest."""

    def one(sql: str) -> tuple:
        return connection.execute(sql).fetchone()

    (stamp,) = one(stamp_query(schema))
    # pg_tables, not information_schema.tables: the latter filters by privilege functions
    # that read the catalogs outside the query's snapshot (docs/serving.md)
    (tables,) = one(f"select count(*) from pg_tables where schemaname = '{schema}'")
    if tables != len(manifest["tables"]):
        raise AssertionError(f"{tables} tables in {schema}, the manifest has a different number")
    phases = connection.execute(
        "select phase, target_villages, actual_villages, target_subdistricts, "
        f"actual_subdistricts, target_districts, actual_districts from {schema}.mart_phase "
        "order by phase"
    ).fetchall()
    villages = dict(
        connection.execute(
            f"select phase, count(*) from {schema}.mart_village group by phase"
        ).fetchall()
    )
    if len(phases) != 2:
        raise AssertionError(f"{len(phases)} phases in mart_phase")
    for phase, villages_target, villages_reached, *others in phases:
        if villages_reached != villages_target or villages.get(phase) != villages_target:
            raise AssertionError(f"phase {phase}: {villages.get(phase)} villages, not the target")
        if others[0] != others[1] or others[2] != others[3]:
            raise AssertionError(f"phase {phase}: subdistricts or districts off their targets")
    for table, published in manifest["tables"].items():
        totals = published["money_totals"]
        sums = "".join(f", sum({column})" for column in totals)
        (rows, *found) = one(f"select count(*){sums} from {schema}.{table}")
        if rows != published["rows"]:
            raise AssertionError(f"{table}: {rows} rows, the manifest {published['rows']}")
        expected = [None if total is None else Decimal(total) for total in totals.values()]
        if found != expected:
            raise AssertionError(f"{table}: money totals {found}, the manifest {expected}")
    return json.loads(stamp)["pipeline_run_id"]


def write_report(path: Path, report: dict) -> None:
    """Atomically: the test reads the report while this process keeps rewriting it."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(report))
    os.replace(temporary, path)


def main(kind: str, folder: str, stop_file: str, report: str, *postgres: str) -> None:
    reads, errors, seen = 0, [], set()
    pooled = None  # the connection a pooled reader keeps
    while not Path(stop_file).exists():
        try:
            if kind == "duckdb":
                seen.add(read_duckdb(Path(folder)))
            else:
                schema, mode = postgres
                url, manifest = os.environ[READER_URL_VARIABLE], manifest_of(Path(folder))
                if mode == "reconnecting":
                    with psycopg.connect(url, autocommit=True) as connection:
                        seen.add(read_postgres(connection, schema, manifest))
                else:
                    if pooled is None or pooled.closed:
                        pooled = psycopg.connect(url, autocommit=True)
                    seen.add(read_postgres(pooled, schema, manifest))
            reads += 1
        except Exception as error:  # every failure is the finding: record it, keep reading
            errors.append(f"{type(error).__name__}: {error}")
        write_report(
            Path(report), {"reads": reads, "errors": errors[:20], "publications": sorted(seen)}
        )
        time.sleep(0.01)


if __name__ == "__main__":
    main(*sys.argv[1:])
