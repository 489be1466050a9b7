"""How a benchmark measures: wall time and peak memory of one call, baseline against candidate.

Memory is the peak resident memory of this process and every process it started (a run of the
pipeline starts dbt; a case may start the whole run as a child), above this process's resident
memory just before the call. A thread sums the resident memory of the process tree from /proc
every 10 ms; since it cannot run while native code holds the GIL, this process's own kernel
high-water mark (VmHWM, reset at entry) is read at exit too and the larger of the two is the
peak. A child that lives less than 10 ms may be missed; the pipeline's children live seconds.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.01


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def resident_bytes(pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0  # the process ended between listing and reading


def descendants(root: int) -> list[int]:
    """The pids of every process below ``root``, from the parent pids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, frontier = [], [root]
    while frontier:
        below = children.get(frontier.pop(), [])
        found += below
        frontier += below
    return found


def tree_resident_bytes() -> int:
    return resident_bytes() + sum(resident_bytes(pid) for pid in descendants(os.getpid()))


def reset_kernel_peak() -> None:
    """Reset this process's resident high-water mark (VmHWM) to its current resident memory."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def kernel_peak_bytes() -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


class PeakMemory:
    """Peak resident memory of the process tree above this process's level at entry."""

    def __enter__(self) -> PeakMemory:
        reset_kernel_peak()
        self.start = self.sampled = resident_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.sampled = max(self.sampled, tree_resident_bytes())

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self.sampled = max(self.sampled, tree_resident_bytes())
        self.peak = max(self.sampled, kernel_peak_bytes())

    @property
    def mb(self) -> float:
        return (self.peak - self.start) / 2**20

    @property
    def sampled_mb(self) -> float:
        return (self.sampled - self.start) / 2**20


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_mb: float


def measure(run: Callable[[Path], None], root: Path) -> Measurement:
    """Seconds and peak memory of one call of ``run`` on a fresh work directory under ``root``."""
    work = Path(tempfile.mkdtemp(dir=root))
    try:
        gc.collect()
        with PeakMemory() as memory:
            started = time.perf_counter()
            run(work)
            seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Measurement(seconds, memory.mb)


def compare(
    name: str,
    baseline: Callable[[Path], None],
    candidate: Callable[[Path], None],
    repetitions: int,
    root: Path,
) -> float:
    """Run baseline and candidate alternately, print the case's result line, return the ratio:
    the median candidate time over the median baseline time."""
    results: dict[str, list[Measurement]] = {"baseline": [], "candidate": []}
    for repetition in range(1, repetitions + 1):
        for label, run in (("baseline", baseline), ("candidate", candidate)):
            result = measure(run, root)
            results[label].append(result)
            log(
                f"{name} {repetition}/{repetitions} {label}: {result.seconds:.2f} s, "
                f"peak {result.peak_mb:.0f} MB"
            )
    median = {label: statistics.median(r.seconds for r in rs) for label, rs in results.items()}
    peak = {label: max(r.peak_mb for r in rs) for label, rs in results.items()}
    for label in ("baseline", "candidate"):
        log(f"{name} {label}: median {median[label]:.2f} s, peak {peak[label]:.0f} MB")
    ratio = median["candidate"] / median["baseline"]
    print(f"{name} ratio={ratio:.2f} peak_mb={peak['candidate']:.0f}", flush=True)
    return ratio
