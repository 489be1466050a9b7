"""`make status` on the sample warehouse: the publication, the runs, the ledger and the last
checks; and a clear message, not a crash, while a run holds the warehouse."""

from orchestration.status import status_lines
from tests.helpers import write_lock_held


def test_status_shows_the_publication_runs_ledger_and_checks(sample_run, pipeline_env):
    text = "\n".join(status_lines(pipeline_env))
    assert f"from run {sample_run.run_id}, 11 tables" in text
    assert "Last pipeline runs:" in text and "success  published" in text
    assert "loaded    register ทะเบียนหมู่บ้านเป้าหมาย" in text
    passed = sum(bool(r.passed) for r in sample_run.decision.records)
    assert f"Checks of run {sample_run.run_id}: {passed} passed, 1 failed (warn)" in text


def test_status_says_the_warehouse_is_busy_while_a_run_writes_it(sample_run, pipeline_env):
    with write_lock_held(pipeline_env.duckdb_path):
        lines = status_lines(pipeline_env)
    assert any("is being written by a run right now" in line for line in lines)
    assert lines[0].startswith("Publication: ")  # still shown: it is a separate file
