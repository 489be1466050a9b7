"""The project's own PostgreSQL for tests and `make dev`: the machine's PostgreSQL 15, started
in a temporary data directory, on loopback only, never as root; gone when it stops."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import psycopg

from serving import local_postgres
from sources.settings import REPO_ROOT


def test_the_session_server_is_postgresql_15_on_loopback_in_a_temporary_folder(postgres_server):
    superuser = postgres_server.url(user=local_postgres.SUPERUSER)  # it may see every setting
    with psycopg.connect(superuser, autocommit=True) as connection:
        settings = dict(
            connection.execute(
                "select name, setting from pg_settings where name in ('server_version_num', "
                "'listen_addresses', 'unix_socket_directories', 'data_directory', "
                "'server_encoding')"
            ).fetchall()
        )
    with psycopg.connect(postgres_server.url(), autocommit=True) as connection:  # the owner's
        assert connection.execute("select current_user").fetchone() == ("roijai",)
    assert settings["server_version_num"].startswith("15")
    assert settings["listen_addresses"] == "127.0.0.1"
    assert settings["server_encoding"] == "UTF8"
    assert Path(settings["unix_socket_directories"]) == postgres_server.socket_dir
    assert Path(settings["data_directory"]) == postgres_server.data_dir
    assert postgres_server.root.parent == Path(os.environ.get("TMPDIR", "/tmp"))
    if os.geteuid() == 0:  # PostgreSQL refuses root: it runs as the package's account
        assert postgres_server.data_dir.stat().st_uid == local_postgres._server_account().pw_uid


def test_a_stopped_server_leaves_nothing_behind():
    server = local_postgres.start()
    assert server.data_dir.is_dir()
    local_postgres.stop(server)
    assert not server.root.exists()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", server.port)) != 0  # nothing listens there


def test_make_dev_runs_its_command_with_the_url_of_a_server_it_starts_and_stops():
    """`python -m serving.local_postgres -- COMMAND`, as `make dev` runs dagster dev."""
    query = (
        "import os, psycopg; url = os.environ['ROIJAI_POSTGRES_URL']; "
        "print(psycopg.connect(url).execute('select current_database()').fetchone()[0]); "
        "print(url.rsplit('@', 1)[1])"
    )
    environment = {k: v for k, v in os.environ.items() if k != "ROIJAI_POSTGRES_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "serving.local_postgres", "--", sys.executable, "-c", query],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    database, address = result.stdout.split()
    assert database == "roijai"
    port = int(address.split("/")[0].split(":")[1])
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # stopped with the command
