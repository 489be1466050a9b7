"""The sample's published marts, as recorded: a change that should not change any output (a
faster reader, a refactored model) must publish the same data. The sample is run as of a fixed
date, so that what is due by then is the same every day. An intended change of the marts
records their new hashes in SAMPLE_MARTS (the failure message prints them)."""

import json
import shutil

import dagster as dg
import pytest

from orchestration.run import run_pipeline
from serving.publication import PublishedPaths, table_hashes
from sources.settings import REPO_ROOT, SAMPLE_LANDING_DIR, settings_shared_with_dbt

SAMPLE_MARTS = REPO_ROOT / "tests" / "e2e" / "sample_marts.json"
RECORDED = json.loads(SAMPLE_MARTS.read_text(encoding="utf-8"))  # its as_of, its tables


@pytest.fixture(scope="module")
def published_as_of(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample_as_of")
    shutil.copytree(SAMPLE_LANDING_DIR, root / "landing")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROIJAI_DATA_DIR", str(root / "data"))
        patch.setenv("ROIJAI_LANDING_DIR", str(root / "landing"))
        patch.setenv("ROIJAI_AS_OF", RECORDED["as_of"])
        patch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
        settings = settings_shared_with_dbt()
        with dg.DagsterInstance.ephemeral() as instance:
            outcome = run_pipeline(settings, instance)
    assert outcome.published, outcome.publication_error
    return PublishedPaths(settings.published_dir)


def test_the_sample_publishes_the_recorded_marts(published_as_of):
    hashes = table_hashes(published_as_of)
    assert hashes == RECORDED["tables"], (
        f"the sample's marts changed; if that is intended, record them in {SAMPLE_MARTS.name}: "
        + json.dumps(hashes, indent=2)
    )
