"""dbt dies with the pipeline process that started it (issue 13): killed with -9, the parent
leaves no dbt behind to keep writing the warehouse."""

import importlib.metadata
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration import dbt_child
from orchestration.dbt_project import DBT_EXECUTABLE
from orchestration.definitions import defs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")

# Starts a sleep through the wrapper (as dagster-dbt starts dbt) and one directly, prints
# their process ids, and waits to be killed.
PARENT = """
import subprocess, sys, time
from pathlib import Path
from orchestration import dbt_child
dbt_child.prepare(Path("/bin/sleep"))
wrapped = subprocess.Popen([str(dbt_child.WRAPPER), "120"])
plain = subprocess.Popen(["/bin/sleep", "120"])
print(wrapped.pid, plain.pid, flush=True)
time.sleep(120)
"""


def alive(pid: int) -> bool:
    """Running: a dead child nobody reaped yet is a zombie (state Z)."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_until_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_child_started_through_the_wrapper_dies_when_its_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    wrapped, plain = (int(pid) for pid in parent.stdout.readline().split())
    try:
        deadline = time.monotonic() + 10
        while Path(f"/proc/{wrapped}/exe").resolve() != Path("/bin/sleep").resolve():
            assert time.monotonic() < deadline, "the wrapper did not become its command"
            time.sleep(0.05)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert wait_until_gone(wrapped), "the wrapped child outlived its parent"
        assert alive(plain), "a child started directly survives: what the wrapper prevents"
    finally:
        for pid in (wrapped, plain):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_the_wrapper_refuses_to_start_when_its_parent_is_already_gone(monkeypatch):
    monkeypatch.setenv(dbt_child.DBT_VARIABLE, "/bin/true")
    monkeypatch.setenv(dbt_child.PARENT_VARIABLE, str(os.getpid() + 10**6))
    result = subprocess.run([str(dbt_child.WRAPPER)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "its parent process" in result.stderr


def test_the_pipeline_starts_dbt_through_the_wrapper(monkeypatch):
    resource = defs.resources["dbt"]
    assert Path(resource.dbt_executable) == dbt_child.WRAPPER
    monkeypatch.delenv(dbt_child.DBT_VARIABLE, raising=False)
    dbt_child.prepare(DBT_EXECUTABLE)
    usage = subprocess.run(
        [resource.dbt_executable, "--help"], capture_output=True, text=True, check=True
    )
    assert usage.stdout.startswith("Usage: dbt")


def test_the_wrapper_says_the_installed_dbt_version_without_asking_pypi(monkeypatch):
    """dagster-dbt reads the version it prints; dbt's own --version asks PyPI for its latest."""
    monkeypatch.delenv(dbt_child.DBT_VARIABLE, raising=False)
    dbt_child.prepare(DBT_EXECUTABLE)
    answer = subprocess.run([str(dbt_child.WRAPPER), "--version"], capture_output=True, text=True)
    installed = importlib.metadata.version("dbt-core")
    assert (answer.returncode, answer.stdout) == (0, f"Core:\n  - installed: {installed}\n")
    assert str(defs.resources["dbt"]._cli_version) == installed  # as dagster-dbt reads it
