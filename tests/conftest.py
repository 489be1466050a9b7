import os
from pathlib import Path

import pytest

from serving import local_postgres
from sources.settings import (
    POSTGRES_READER_ROLE_VARIABLE,
    POSTGRES_SCHEMA_VARIABLE,
    POSTGRES_URL_VARIABLE,
    SAMPLE_LANDING_DIR,
)

# A fixed key so tests never write a key file into the repository's data folder.
os.environ["ROIJAI_PSEUDONYM_KEY"] = "test-key-not-a-secret"
# Test landing folders are written just before they are read: read them at once (the settle
# rule itself is tested with its own value).
os.environ["ROIJAI_SETTLE_SECONDS"] = "0"
os.environ["GX_ANALYTICS_ENABLED"] = "False"
os.environ["DAGSTER_DISABLE_TELEMETRY"] = "1"
os.environ.pop("DAGSTER_HOME", None)  # tests use ephemeral Dagster instances
# Tests copy publications only into the PostgreSQL they start, never into a developer's.
for variable in (POSTGRES_URL_VARIABLE, POSTGRES_SCHEMA_VARIABLE, POSTGRES_READER_ROLE_VARIABLE):
    os.environ.pop(variable, None)


@pytest.fixture(scope="session")
def sample_landing() -> Path:
    return SAMPLE_LANDING_DIR


@pytest.fixture(scope="session")
def postgres_server():
    """The machine's PostgreSQL 15, started for this session in a temporary data directory on
    loopback (serving/local_postgres.py), stopped and removed at the end."""
    with local_postgres.running() as server:
        yield server
