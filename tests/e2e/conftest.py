import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.run import run_pipeline
from serving.publication import PublishedPaths, publish
from sources.settings import SAMPLE_LANDING_DIR, Settings, settings_shared_with_dbt


@pytest.fixture(scope="session")
def pipeline_env(tmp_path_factory):
    """Point the pipeline at a temporary data folder; the landing folder is a copy of the sample."""
    root = tmp_path_factory.mktemp("pipeline")
    landing = root / "landing"
    shutil.copytree(SAMPLE_LANDING_DIR, landing)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROIJAI_DATA_DIR", str(root / "data"))
        patch.setenv("ROIJAI_LANDING_DIR", str(landing))
        patch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
        yield settings_shared_with_dbt()


@pytest.fixture(scope="session")
def sample_run(pipeline_env: Settings):
    """One real materialization of every asset and check into a temporary DuckDB file."""
    with dg.DagsterInstance.ephemeral() as instance:
        return run_pipeline(pipeline_env, instance)


@pytest.fixture(scope="session")
def sample_publication(sample_run, pipeline_env: Settings) -> PublishedPaths:
    """What the sample run published."""
    assert sample_run.published, sample_run.publication_error
    return PublishedPaths(pipeline_env.published_dir)


@pytest.fixture(scope="module")
def published(sample_run, pipeline_env: Settings, tmp_path_factory) -> PublishedPaths:
    """A publication of the sample warehouse of the module's own (its readers and copies
    never touch the sample run's), as `make run` writes it to data/published/."""
    paths = PublishedPaths(tmp_path_factory.mktemp("published"))
    publish(pipeline_env.duckdb_path, paths, "test-run", {"passed": 1})
    return paths


@pytest.fixture
def warehouse(sample_run, pipeline_env: Settings):
    with duckdb.connect(str(pipeline_env.duckdb_path), read_only=True) as connection:
        yield connection


def landing_copy(tmp_path: Path) -> Path:
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE_LANDING_DIR, landing)
    return landing
