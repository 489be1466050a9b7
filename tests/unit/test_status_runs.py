"""make status shows a run left active by a make run that died, and why each failed run
failed (issue 13: after a kill -9, status did not show the run that blocked the next one)."""

import shutil
import subprocess
import sys

import dagster as dg
from dagster._core.storage.dagster_run import DagsterRun

from orchestration.names import LAUNCHED_BY_TAG, MAKE_RUN
from orchestration.run import ABANDONED
from orchestration.run_state import LOCK_FILE, make_run_alive, make_run_lock
from orchestration.status import ABANDONED_ACTIVE, status_lines
from sources.settings import REPO_ROOT, Settings


def test_status_shows_an_abandoned_run_and_the_reason_of_a_failed_one(tmp_path, monkeypatch):
    shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    settings = Settings(tmp_path / "data", tmp_path / "data" / "warehouse.duckdb", tmp_path)
    with dg.DagsterInstance.get() as instance:
        for run_id in ("killed00", "failed00"):
            instance.add_run(
                DagsterRun(
                    job_name="roijai_pipeline",
                    run_id=run_id,
                    status=dg.DagsterRunStatus.STARTED,
                    tags={LAUNCHED_BY_TAG: MAKE_RUN},
                )
            )
        instance.report_run_failed(instance.get_run_by_id("failed00"), message=ABANDONED)
    lines = status_lines(settings)
    assert f"  killed00 roijai_pipeline  STARTED: {ABANDONED_ACTIVE}" in lines
    assert f"  failed00 roijai_pipeline  FAILURE: {ABANDONED}" in lines


def test_a_make_run_holding_the_lock_is_seen_alive_and_not_once_it_ended(tmp_path):
    data = tmp_path / "data"
    assert not make_run_alive(data)
    with make_run_lock(data) as held:
        assert held and make_run_alive(data)
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], text=True,
                           capture_output=True, check=True)  # fmt: skip
    (data / LOCK_FILE).write_text(child.stdout.strip())  # a process that has ended
    assert not make_run_alive(data)
