"""Whether a run is alive: make run's lock (one make run at a time per data folder) and the
Dagster statuses of a run not yet ended. Kept apart so make status reads them without loading
the pipeline's definitions."""

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

LOCK_FILE = ".make_run.lock"
ACTIVE_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


@contextmanager
def make_run_lock(data_dir: Path) -> Iterator[bool]:
    """Whether this process holds the lock of make run. The kernel releases it when the
    process ends, however it ends: a run killed with -9 leaves no stale lock behind. The
    holder writes its process id into the file, for make status."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def make_run_alive(data_dir: Path) -> bool:
    """Whether the process that last held make run's lock is still running. Read without
    taking the lock: that would make a make run starting at the same moment refuse."""
    try:
        pid = int((data_dir / LOCK_FILE).read_text().strip())
    except (FileNotFoundError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another account's process
        return True
    return True
