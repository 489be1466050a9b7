#!/usr/bin/env python3
"""The dbt executable dagster-dbt starts: dbt itself, set to be killed when the process that
started it dies. dagster-dbt's Popen has no hook for this, so this script sets Linux's
parent-death signal (prctl PR_SET_PDEATHSIG) and then becomes dbt (exec, same process): a
pipeline killed with -9 or out of memory leaves no dbt writing the warehouse behind it.

Runs with any python3 (standard library only). The pipeline process calls `prepare()` before
each dbt command: it says which dbt to become and which process is the parent. It answers
`--version` itself, without the network (see main).
"""

import ctypes
import os
import signal
import sys
from pathlib import Path

DBT_VARIABLE = "ROIJAI_DBT_EXECUTABLE"
PARENT_VARIABLE = "ROIJAI_DBT_PARENT_PID"
PR_SET_PDEATHSIG = 1
WRAPPER = Path(__file__).resolve()


def prepare(dbt: Path) -> None:
    """In the pipeline process: the next dbt commands become `dbt` and die with this process."""
    os.environ[DBT_VARIABLE] = str(dbt)
    os.environ[PARENT_VARIABLE] = str(os.getpid())


def die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return  # elsewhere dbt is not tied to its parent
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    # The parent may have died before the signal was set: then it is no longer our parent.
    parent = os.environ.get(PARENT_VARIABLE)
    if parent and os.getppid() != int(parent):
        sys.exit(f"dbt not started: its parent process {parent} has ended")


def installed_version(dbt: Path) -> str | None:
    """The version of dbt-core installed beside the dbt executable, from its dist-info folder."""
    for info in (dbt.parent.parent / "lib").glob("python*/site-packages/dbt_core-*.dist-info"):
        return info.name.removeprefix("dbt_core-").removesuffix(".dist-info")
    return None


def main() -> None:
    dbt = os.environ.get(DBT_VARIABLE)
    if not dbt:
        sys.exit(f"{WRAPPER.name}: {DBT_VARIABLE} is not set (the pipeline sets it)")
    # dagster-dbt asks `dbt --version` before each command; dbt's own answer asks PyPI for its
    # latest releases (a network call, 1 s time-outs each, about 3 s a run): the installed
    # version is all dagster-dbt reads
    version = installed_version(Path(dbt)) if sys.argv[1:] == ["--version"] else None
    if version:
        print(f"Core:\n  - installed: {version}")
        return
    die_with_parent()
    os.execv(dbt, [dbt, *sys.argv[1:]])


if __name__ == "__main__":
    main()
