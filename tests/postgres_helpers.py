"""Readers of the PostgreSQL publication, as a BI tool connects: a login in the read-only role,
created with the SQL of docs/serving.md ("PostgreSQL for BI tools")."""

import psycopg

from serving.local_postgres import OWNER, LocalPostgres
from serving.postgres_publication import stamp_query

BI_PASSWORD = "bi-test-password"  # a throwaway server's, not a secret


def bi_login(server: LocalPostgres, reader_role: str, login: str) -> str:
    """A login that is a member of the read-only role (both created if missing, as the owner
    of the database would); returns its URL."""
    created = server.psql(
        "do $$ begin "
        f"if not exists (select from pg_roles where rolname = '{reader_role}') then "
        f"create role {reader_role} nologin; end if; "
        f"if not exists (select from pg_roles where rolname = '{login}') then "
        f"create role {login} login password '{BI_PASSWORD}' in role {reader_role}; end if; "
        "end $$",
        user=OWNER,
        password=server.owner_password,
    )
    assert created.returncode == 0, created.stderr
    return server.url(user=login, password=BI_PASSWORD)


def fetch(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(sql).fetchall()


def schema_stamp(url: str, schema: str) -> str | None:
    """The published schema's comment: which publication it holds."""
    rows = fetch(url, stamp_query(schema))
    return rows[0][0] if rows else None
