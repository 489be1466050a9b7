"""The publication copied into PostgreSQL, for BI tools that connect to a database server.

After each publication, when ``ROIJAI_POSTGRES_URL`` is set, the tables of the published DuckDB
file (exactly those of its manifest) are copied into one schema of that database (default
``roijai``), for a read-only role (default ``roijai_reader``) that may read that schema and
nothing else there.

One transaction does it all: a new schema under a temporary name, each table created with the
types of the DuckDB publication (money stays numeric with its scale, dates date, integers
integers, text UTF-8) and filled from DuckDB's Arrow batches through ADBC (PostgreSQL's binary
COPY, not row-by-row inserts), the row counts and money totals checked against the manifest,
the grants, then the published schema renamed away and the new one renamed in. Until it
commits, no other session sees the new schema; when it commits, every query that starts reads
the new tables. A failure anywhere rolls it all back: the published schema is untouched.

Renaming schemas takes no lock on their tables, so the swap never waits for a reader, nor a
reader for it: a query already running finishes on the tables it started with. Those are
dropped afterwards, in a transaction of their own that waits at most DROP_LOCK_TIMEOUT for the
readers still on them; past it they stay, renamed and no longer granted, until the next
publication drops them (dropping them in the swap's transaction would make every new query
wait behind the longest one still running: docs/serving.md).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import adbc_driver_postgresql.dbapi as adbc_postgres
import duckdb

from serving.publication import PublishedPaths, read_manifest
from sources.settings import IDENTIFIER, PostgresTarget

OLD_SUFFIX = "__old_"  # the schema a swap renamed away, until it is dropped
LOADING_SUFFIX = "__loading_"  # never committed: the new schema before the swap renames it
DROP_LOCK_TIMEOUT = "2s"
DECIMAL_TYPE = re.compile(r"DECIMAL\((\d+),(\d+)\)")
# DuckDB's type -> PostgreSQL's; the Arrow type DuckDB sends is the one COPY writes for it.
POSTGRES_TYPES = {
    "BOOLEAN": "boolean",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "VARCHAR": "text",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


class PostgresPublicationError(RuntimeError):
    """The copy into PostgreSQL failed; the schema published there is unchanged."""


@dataclass(frozen=True)
class PostgresCopy:
    """What a copy did: where (no password), which tables with how many rows, and the
    schemas of earlier publications it could not drop yet."""

    server: str
    schema: str
    pipeline_run_id: str
    tables: dict[str, int]
    seconds: float
    old_schemas_left: list[str]  # renamed away, still read by a query: the next copy drops them


def describe_server(url: str) -> str:
    """user@host:port/database, without the password: what logs and errors may show."""
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{user}{parts.hostname or 'localhost'}{port}{parts.path}"


def postgres_type(table: str, column: str, duckdb_type: str) -> str:
    decimal = DECIMAL_TYPE.fullmatch(duckdb_type)
    if decimal:
        return f"numeric({decimal[1]},{decimal[2]})"
    if duckdb_type in POSTGRES_TYPES:
        return POSTGRES_TYPES[duckdb_type]
    raise PostgresPublicationError(
        f"{table}.{column} has the DuckDB type {duckdb_type}, which the PostgreSQL publication "
        "has no type for (serving/postgres_publication.py, POSTGRES_TYPES)"
    )


def _first_line(error: adbc_postgres.Error) -> str:
    """The error without the lines PostgreSQL adds after it (its context may quote a value)."""
    return str(error.args[0]).splitlines()[0]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str, what: str) -> str:
    if not IDENTIFIER.fullmatch(name):
        raise PostgresPublicationError(f"{what} {name!r} is not a plain lower-case SQL name")
    return name


def _columns(published: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return published.execute(
        "select column_name, data_type from duckdb_columns() where database_name = "
        "current_database() and schema_name = 'main' and table_name = ? order by column_index",
        [table],
    ).fetchall()


def _published_tables(published: duckdb.DuckDBPyConnection, manifest: dict) -> list[str]:
    """The tables of the published file, which must be those of its manifest."""
    tables = [
        name
        for (name,) in published.execute(
            "select table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name = 'main' order by 1"
        ).fetchall()
    ]
    if set(tables) != set(manifest["tables"]):
        raise PostgresPublicationError(
            f"the published file holds the tables {tables}, its manifest "
            f"{sorted(manifest['tables'])}: a publication was swapped in during the copy?"
        )
    return [_identifier(table, "table") for table in tables]


def _fetch(cursor, sql: str) -> list[tuple]:
    cursor.execute(sql)
    return cursor.fetchall()


def _ensure_reader_role(cursor, role: str) -> None:
    """The read-only role, created (without login: BI accounts are its members) if missing."""
    if _fetch(cursor, f"select 1 from pg_roles where rolname = {_literal(role)}"):
        return
    try:
        cursor.execute(f"create role {role} nologin")
    except adbc_postgres.Error as error:
        raise PostgresPublicationError(
            f"the read-only role {role} does not exist and could not be created "
            f"({_first_line(error)}): create it as an administrator "
            f"(create role {role} nologin), or give the publishing account CREATEROLE"
        ) from None


def load(
    cursor, published: duckdb.DuckDBPyConnection, manifest: dict, loading: str
) -> dict[str, int]:
    """Create the schema `loading` with every published table, filled from DuckDB's Arrow
    batches; returns the rows per table. Raises PostgresPublicationError when a table's rows
    or money totals differ from the manifest's."""
    cursor.execute(f"create schema {loading}")
    rows = {}
    for table in _published_tables(published, manifest):
        columns = _columns(published, table)
        definitions = ", ".join(
            f"{_identifier(name, 'column')} {postgres_type(table, name, kind)}"
            for name, kind in columns
        )
        try:
            cursor.execute(f"create table {loading}.{table} ({definitions})")
            batches = published.execute(f"select * from main.{table}").to_arrow_reader()
            cursor.adbc_ingest(table, batches, mode="append", db_schema_name=loading)
        except adbc_postgres.Error as error:
            raise PostgresPublicationError(f"{table}: {_first_line(error)}") from None
        rows[table] = _verify_table(cursor, loading, table, manifest["tables"][table])
    return rows


def _verify_table(cursor, schema: str, table: str, published: dict) -> int:
    """The loaded table's rows and money totals, as PostgreSQL counts them, against the
    manifest's: a copy that lost or changed anything is never swapped in."""
    totals = published.get("money_totals", {})
    sums = "".join(f", sum({column})::text" for column in totals)
    (rows, *loaded) = _fetch(cursor, f"select count(*){sums} from {schema}.{table}")[0]
    if rows != published["rows"]:
        raise PostgresPublicationError(
            f"{table}: {rows} rows loaded into PostgreSQL, the manifest has {published['rows']}"
        )
    for (column, expected), found in zip(totals.items(), loaded, strict=True):
        if (found is None) != (expected is None) or (
            found is not None and Decimal(found) != Decimal(expected)
        ):
            raise PostgresPublicationError(
                f"{table}.{column}: the total loaded into PostgreSQL is {found}, "
                f"the manifest's {expected}"
            )
    return rows


def swap(cursor, loading: str, target: PostgresTarget, stamp: dict) -> str | None:
    """Grant the loaded schema to the read-only role, stamp it with the publication, rename
    the published schema away and the loaded one in; returns the old schema's new name."""
    role = target.reader_role
    _ensure_reader_role(cursor, role)
    cursor.execute(f"grant usage on schema {loading} to {role}")
    cursor.execute(f"grant select on all tables in schema {loading} to {role}")
    cursor.execute(f"comment on schema {loading} is {_literal(json.dumps(stamp))}")
    old = None
    if _fetch(cursor, f"select 1 from pg_namespace where nspname = {_literal(target.schema)}"):
        old = loading.replace(LOADING_SUFFIX, OLD_SUFFIX)
        cursor.execute(f"alter schema {target.schema} rename to {old}")
        cursor.execute(f"revoke all on schema {old} from {role}")
    cursor.execute(f"alter schema {loading} rename to {target.schema}")
    return old


def drop_old_schemas(connection, schema: str) -> list[str]:
    """Drop the schemas earlier swaps renamed away, each waiting at most DROP_LOCK_TIMEOUT for
    the queries still reading it; returns those left (the next copy tries again)."""
    pattern = _literal(f"{schema}{OLD_SUFFIX}".replace("_", r"\_") + "%")
    left = []
    with connection.cursor() as cursor:
        old_schemas = _fetch(
            cursor, f"select nspname from pg_namespace where nspname like {pattern}"
        )
        connection.commit()
        for (old,) in old_schemas:
            try:
                cursor.execute(f"set local lock_timeout = {_literal(DROP_LOCK_TIMEOUT)}")
                cursor.execute(f"drop schema {old} cascade")
                connection.commit()
            except adbc_postgres.Error:  # a reader still on it (lock timeout)
                connection.rollback()
                left.append(old)
    return left


@contextmanager
def connect(url: str) -> Iterator:
    """An ADBC connection (not in autocommit: everything up to commit is one transaction)."""
    try:
        connection = adbc_postgres.connect(url)
    except adbc_postgres.Error as error:
        raise PostgresPublicationError(
            f"cannot connect to PostgreSQL at {describe_server(url)}: {_first_line(error)}"
        ) from None
    try:
        yield connection
    finally:
        connection.close()


def stamp_query(schema: str) -> str:
    """SQL for which publication a schema holds (its comment, JSON), the name and the comment
    read in the query's one snapshot (a regnamespace cast looks the name up before it)."""
    return (
        "select d.description from pg_namespace n join pg_description d on d.objoid = n.oid "
        f"and d.classoid = 'pg_namespace'::regclass where n.nspname = {_literal(schema)}"
    )


def published_stamp(manifest: dict) -> dict:
    """What the published schema's comment says: which publication it holds."""
    return {key: manifest[key] for key in ("pipeline_run_id", "published_at")}


def publish_to_postgres(paths: PublishedPaths, target: PostgresTarget) -> PostgresCopy:
    """Copy the publication in `paths` into PostgreSQL and swap it in; raises
    PostgresPublicationError (naming PostgreSQL's server and reason) when it could not, with
    the schema published there unchanged."""
    started = time.monotonic()
    manifest = read_manifest(paths)
    if manifest is None:
        raise PostgresPublicationError(f"nothing is published in {paths.folder} to copy")
    server = describe_server(target.url)
    loading = f"{target.schema}{LOADING_SUFFIX}{uuid.uuid4().hex[:12]}"
    with (
        connect(target.url) as connection,
        duckdb.connect(str(paths.database), read_only=True) as published,
    ):
        try:
            with connection.cursor() as cursor:
                tables = load(cursor, published, manifest, loading)
                swap(cursor, loading, target, published_stamp(manifest))
            connection.commit()
        except (PostgresPublicationError, adbc_postgres.Error) as error:
            connection.rollback()
            reason = _first_line(error) if isinstance(error, adbc_postgres.Error) else error
            raise PostgresPublicationError(
                f"copying into schema {target.schema} at {server}: {reason}"
            ) from None
        old_schemas_left = drop_old_schemas(connection, target.schema)
    return PostgresCopy(
        server=server,
        schema=target.schema,
        pipeline_run_id=manifest["pipeline_run_id"],
        tables=tables,
        seconds=round(time.monotonic() - started, 2),
        old_schemas_left=old_schemas_left,
    )
