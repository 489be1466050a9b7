"""A throwaway PostgreSQL server for the tests and `make dev`: the machine's own PostgreSQL 15
(the Debian package postgresql-15, installed by `make system` from debian-packages.txt), in a
new data directory under the temporary folder, listening on loopback only (a free port, its
unix socket in that directory), removed when it stops. Never assumed running: started here.

PostgreSQL refuses to run as root, so as root its programs run as the `postgres` system
account the package created, and the data directory is that account's. Every connection needs
a password (scram-sha-256), also over the socket: the server has a superuser `postgres` and
an owner `roijai` of the database `roijai`, the account the publication loads with (it may
create roles: it creates the read-only role it grants the published schema to).

    python -m serving.local_postgres -- COMMAND...   runs COMMAND with ROIJAI_POSTGRES_URL
                                                     set to the server, then stops it
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sources.settings import POSTGRES_URL_VARIABLE

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
SYSTEM_ACCOUNT = "postgres"  # the package's account: the server's when started as root
SUPERUSER = "postgres"
OWNER = "roijai"
DATABASE = "roijai"
INITDB_OPTIONS = ["--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]
PSQL_OPTIONS = ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]  # no psqlrc, bare rows, stop on error
START_ATTEMPTS = 3  # a free port can be taken by another process before the server binds it
START_TIMEOUT_SECONDS = 60
# A throwaway server: nothing in it must survive a crash, so nothing waits for the disk.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
}


class LocalPostgresError(RuntimeError):
    """The server could not be set up or started; the message says where and why."""


@dataclass(frozen=True)
class LocalPostgres:
    root: Path  # the temporary folder: data directory, socket, log
    port: int
    superuser_password: str = field(repr=False)
    owner_password: str = field(repr=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def url(self, user: str = OWNER, password: str | None = None, database: str = DATABASE) -> str:
        """A libpq URL over TCP on loopback; the owner's unless another user is given."""
        if password is None:
            password = self.owner_password if user == OWNER else self.superuser_password
        return f"postgresql://{quote(user)}:{quote(password)}@127.0.0.1:{self.port}/{database}"

    def psql(
        self, sql: str, user: str = SUPERUSER, password: str | None = None, database: str = DATABASE
    ) -> subprocess.CompletedProcess:
        """Run SQL with psql over the unix socket, stopping at the first error."""
        connection = ["-h", str(self.socket_dir), "-p", str(self.port), "-U", user, "-d", database]
        return subprocess.run(
            [str(POSTGRES_BIN / "psql"), *PSQL_OPTIONS, *connection, "-c", sql],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env={
                **os.environ,
                "PGPASSWORD": password or self.superuser_password,
                "PGCLIENTENCODING": "UTF8",
            },
            timeout=120,
            check=False,
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_account() -> pwd.struct_passwd | None:
    """The account the server runs as: `postgres` when this process is root, else this one."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SYSTEM_ACCOUNT)
    except KeyError:
        raise LocalPostgresError(
            f"running as root, but there is no {SYSTEM_ACCOUNT!r} account to run PostgreSQL as "
            "(PostgreSQL refuses root): install postgresql-15 (make system)"
        ) from None


def _run(arguments: list[str], account: pwd.struct_passwd | None, what: str) -> None:
    identity = (
        {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []} if account else {}
    )
    result = subprocess.run(
        arguments,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd="/",  # the server account may not enter this process's folder
        timeout=START_TIMEOUT_SECONDS + 30,
        check=False,
        **identity,
    )
    if result.returncode != 0:
        raise LocalPostgresError(f"{what} failed ({result.returncode}): {result.stderr.strip()}")


def _init(server: LocalPostgres, account: pwd.struct_passwd | None) -> None:
    password_file = server.root / "superuser.password"
    password_file.write_text(server.superuser_password)
    server.socket_dir.mkdir()
    if account:
        for path in (server.root, password_file, server.socket_dir):
            os.chown(path, account.pw_uid, account.pw_gid)
    initdb = [str(POSTGRES_BIN / "initdb"), "-D", str(server.data_dir), "-U", SUPERUSER]
    _run(
        [*initdb, f"--pwfile={password_file}", *INITDB_OPTIONS],
        account,
        f"initdb in {server.data_dir}",
    )
    password_file.unlink()
    settings = {
        **SERVER_SETTINGS,
        "port": str(server.port),
        "unix_socket_directories": f"'{server.socket_dir}'",
    }
    with (server.data_dir / "postgresql.conf").open("a") as conf:
        conf.write("\n# serving/local_postgres.py\n")
        conf.writelines(f"{name} = {value}\n" for name, value in settings.items())


def _start(server: LocalPostgres, account: pwd.struct_passwd | None) -> None:
    pg_ctl = [str(POSTGRES_BIN / "pg_ctl"), "start", "-D", str(server.data_dir), "-w"]
    _run(
        [*pg_ctl, "-t", str(START_TIMEOUT_SECONDS), "-l", str(server.log_file)],
        account,
        f"starting PostgreSQL on 127.0.0.1:{server.port} (log {server.log_file})",
    )


def stop(server: LocalPostgres) -> None:
    """Stop the server (fast: open sessions are ended) and remove its folder."""
    account = _server_account()
    if (server.data_dir / "postmaster.pid").exists():
        _run(
            [str(POSTGRES_BIN / "pg_ctl"), "stop", "-D", str(server.data_dir), "-m", "fast", "-w"],
            account,
            f"stopping PostgreSQL in {server.data_dir}",
        )
    shutil.rmtree(server.root, ignore_errors=True)


def start() -> LocalPostgres:
    """Initialise and start a new server, with the database `roijai` owned by `roijai`."""
    if not (POSTGRES_BIN / "pg_ctl").exists():
        raise LocalPostgresError(
            f"PostgreSQL 15 is not installed ({POSTGRES_BIN} has no pg_ctl): run make system, "
            "which installs the Debian packages of debian-packages.txt"
        )
    account = _server_account()
    error = None
    for _ in range(START_ATTEMPTS):
        server = LocalPostgres(
            root=Path(tempfile.mkdtemp(prefix="roijai-postgres-")),
            port=_free_port(),
            superuser_password=secrets.token_urlsafe(16),
            owner_password=secrets.token_urlsafe(16),
        )
        try:
            _init(server, account)
            _start(server, account)
        except LocalPostgresError as failure:
            error = failure
            stop(server)
            continue
        for statement in (
            f"create role {OWNER} login createrole password '{server.owner_password}'",
            f"create database {DATABASE} owner {OWNER} encoding 'UTF8' template template0",
        ):
            created = server.psql(statement, database="postgres")
            if created.returncode != 0:
                stop(server)
                raise LocalPostgresError(f"setting up {DATABASE}: {created.stderr.strip()}")
        return server
    raise LocalPostgresError(f"PostgreSQL did not start in {START_ATTEMPTS} attempts: {error}")


@contextmanager
def running() -> Iterator[LocalPostgres]:
    """A server for the time of the block."""
    server = start()
    try:
        yield server
    finally:
        stop(server)


def _run_until_it_ends(command: list[str], environment: dict[str, str]) -> int:
    """Run the command; a Ctrl-C reaches it too (same process group), so wait for it to shut
    down; a SIGTERM to this process is passed on to it."""
    child = subprocess.Popen(command, env=environment)
    signal.signal(signal.SIGTERM, lambda number, frame: child.terminate())
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue


def main(command: list[str]) -> int:
    """Run a command with ROIJAI_POSTGRES_URL set: to a new local server that stops when the
    command ends, unless it is set already (a server of your own)."""
    if not command:
        print("usage: python -m serving.local_postgres -- COMMAND...", file=sys.stderr)
        return 2
    if os.environ.get(POSTGRES_URL_VARIABLE, "").strip():
        print(f"{POSTGRES_URL_VARIABLE} is set: publishing to that server", file=sys.stderr)
        return _run_until_it_ends(command, dict(os.environ))
    with running() as server:
        print(
            f"PostgreSQL 15 on 127.0.0.1:{server.port}, a temporary server in {server.root} "
            f"(removed when this ends); the publication is copied into it: "
            f"{POSTGRES_URL_VARIABLE}={server.url()}",
            file=sys.stderr,
        )
        return _run_until_it_ends(command, {**os.environ, POSTGRES_URL_VARIABLE: server.url()})


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(main(arguments[1:] if arguments[:1] == ["--"] else arguments))
