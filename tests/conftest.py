import os
from pathlib import Path

import pytest

from sources.settings import SAMPLE_LANDING_DIR

# A fixed key so tests never write a key file into the repository's data folder.
os.environ["ROIJAI_PSEUDONYM_KEY"] = "test-key-not-a-secret"
# Test landing folders are written just before they are read: read them at once (the settle
# rule itself is tested with its own value).
os.environ["ROIJAI_SETTLE_SECONDS"] = "0"
os.environ["GX_ANALYTICS_ENABLED"] = "False"
os.environ["DAGSTER_DISABLE_TELEMETRY"] = "1"
os.environ.pop("DAGSTER_HOME", None)  # tests use ephemeral Dagster instances


@pytest.fixture(scope="session")
def sample_landing() -> Path:
    return SAMPLE_LANDING_DIR
