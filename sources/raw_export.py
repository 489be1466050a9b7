"""The warehouse's tables as Parquet files, for an engine that reads files rather than the
DuckDB file (Apache Spark builds the same dbt models from them: docs/scale-out.md).

Each table goes to its own folder, ``<folder>/<schema>/<table>/``, the layout Spark reads as
one table. Types carry over as Parquet types (money as decimal(18,2), dates as dates,
timestamps as timestamps without time zone, in UTC like every timestamp of the warehouse);
JSON columns are written as their text, which every engine reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from sources.sql import sql_string

PARQUET_FILE = "part-0.parquet"


def table_folder(folder: Path, table: str) -> Path:
    """Where the Parquet copy of ``schema.table`` goes under ``folder``."""
    schema, name = table.split(".")
    return folder / schema / name


def export_tables(
    connection: duckdb.DuckDBPyConnection, tables: Iterable[str], folder: Path
) -> dict[str, Path]:
    """Write each ``schema.table`` of the open warehouse as Parquet under ``folder``; returns
    the folder of each. A table the warehouse does not have raises, naming it."""
    written = {}
    for table in tables:
        schema, name = table.split(".")
        columns = connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
        if not columns:
            raise ValueError(f"{table}: no such table in the warehouse to export")
        select = ", ".join(
            f"cast({column} as varchar) as {column}" if data_type == "JSON" else column
            for column, data_type in columns
        )
        target = table_folder(folder, table)
        target.mkdir(parents=True, exist_ok=True)
        connection.execute(
            f"copy (select {select} from {schema}.{name}) "
            f"to {sql_string(str(target / PARQUET_FILE))} (format parquet)"
        )
        written[table] = target
    return written
