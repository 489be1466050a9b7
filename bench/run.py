"""Ingest benchmarks: the ingest's wall time and memory against raw readers, in one process.

Each case times the ingest (the candidate) and a raw reader of the same file (the baseline),
alternating, each repetition in a fresh temporary directory with a fresh DuckDB file, and prints
one line to stdout: ``NAME ratio=X peak_mb=Y``, where X is the median candidate time over the
median baseline time and Y the candidate's largest peak resident memory above the resident
memory just before it started. Progress goes to stderr. See docs/benchmarks.md. Usage::

    python -m bench.run
"""

from __future__ import annotations

import gc
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import fastexcel

from sources.contracts import load_contracts
from sources.ingest import ingest_file
from sources.programme_seeds import phase_targets, programme_province_codes
from sources.raw_tables import ensure_tables
from sources.resolve import GeographyResolver
from sources.sample.generate import (
    AGENCY_FILES,
    Village,
    agency_rows,
    build_villages,
    write_agency_workbook,
    write_odk_survey,
)

SEED = 2562
SURVEY_HOUSEHOLDS = 1_000_000
AGENCY_ROWS = 100_000
KEY = b"bench-key"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.01


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


def reset_kernel_peak() -> None:
    """Reset the kernel's resident high-water mark (VmHWM) to the current resident memory."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def kernel_peak_bytes() -> int:
    """The kernel's resident high-water mark (VmHWM) since the last reset."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


class PeakMemory:
    """Peak resident memory above the level at entry.

    A thread samples /proc/self/statm every 10 ms; it cannot run while native code holds the
    GIL, so the kernel's high-water mark, reset at entry, is read at exit as well and the larger
    of the two is the peak.
    """

    def __enter__(self) -> PeakMemory:
        reset_kernel_peak()
        self.start = self.sampled = resident_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.sampled = max(self.sampled, resident_bytes())

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self.sampled = max(self.sampled, resident_bytes())
        self.peak = max(self.sampled, kernel_peak_bytes())

    @property
    def mb(self) -> float:
        return (self.peak - self.start) / 2**20

    @property
    def sampled_mb(self) -> float:
        return (self.sampled - self.start) / 2**20


def measure(run: Callable[[Path], None], root: Path) -> tuple[float, PeakMemory]:
    """Seconds and peak memory of one call of ``run`` on a fresh work directory under ``root``."""
    work = Path(tempfile.mkdtemp(dir=root))
    try:
        gc.collect()
        with PeakMemory() as memory:
            started = time.perf_counter()
            run(work)
            seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(work)
    return seconds, memory


def compare(
    name: str,
    baseline: Callable[[Path], None],
    candidate: Callable[[Path], None],
    repetitions: int,
    root: Path,
) -> None:
    """Run baseline and candidate alternately and print the case's result line."""
    times: dict[str, list[float]] = {"baseline": [], "candidate": []}
    peaks: dict[str, list[float]] = {"baseline": [], "candidate": []}
    for repetition in range(1, repetitions + 1):
        for label, run in (("baseline", baseline), ("candidate", candidate)):
            seconds, memory = measure(run, root)
            times[label].append(seconds)
            peaks[label].append(memory.mb)
            log(
                f"{name} {repetition}/{repetitions} {label}: {seconds:.2f} s, "
                f"peak {memory.mb:.0f} MB (sampled {memory.sampled_mb:.0f} MB)"
            )
    median = {label: statistics.median(values) for label, values in times.items()}
    peak = {label: max(values) for label, values in peaks.items()}
    for label in ("baseline", "candidate"):
        log(f"{name} {label}: median {median[label]:.2f} s, peak {peak[label]:.0f} MB")
    ratio = median["candidate"] / median["baseline"]
    print(f"{name} ratio={ratio:.2f} peak_mb={peak['candidate']:.0f}", flush=True)


def ingest(path: Path, kind: str, rows: int, resolver: GeographyResolver, work: Path) -> None:
    """The candidate: one file through the whole ingest into a new warehouse file."""
    contract = load_contracts()[kind]
    connection = duckdb.connect(str(work / "w.duckdb"))
    try:
        ensure_tables(connection, contract)
        outcome = ingest_file(connection, path, contract, KEY, resolver, work)
    finally:
        connection.close()
    if outcome.status != "loaded" or outcome.rows_read != rows:
        raise RuntimeError(f"expected {rows} rows loaded, got {outcome} [{outcome.status}]")
    if outcome.rows_loaded + outcome.rows_quarantined != outcome.rows_read:
        raise RuntimeError(f"rows lost: {outcome}")


def write_survey_csv(root: Path, villages: list[Village]) -> Path:
    """An ODK household export of SURVEY_HOUSEHOLDS rows (no members file)."""
    path = root / "survey_odk_1m.csv"
    log(f"writing {SURVEY_HOUSEHOLDS:,} households to {path.name} (about a minute)")
    write_odk_survey(villages, path, random.Random(SEED), SURVEY_HOUSEHOLDS, members=False)
    log(f"{path.name}: {path.stat().st_size / 2**20:.0f} MB")
    return path


def write_agency_xlsx(root: Path, villages: list[Village]) -> Path:
    """An agency workbook of AGENCY_ROWS project lines: one agency's lines, cycled, renumbered."""
    path = root / "agency_100k.xlsx"
    rng = random.Random(SEED)
    agency, provinces, _, categories = AGENCY_FILES[2]  # an xlsx agency of all four provinces
    lines = [cells for _, cells in agency_rows(agency, provinces, categories, villages, rng)]
    numbered = zip(range(1, AGENCY_ROWS + 1), itertools.cycle(lines))
    rows = [[number, *cells[1:]] for number, cells in numbered]
    log(f"writing {AGENCY_ROWS:,} project rows (cycling {len(lines)} lines) to {path.name}")
    write_agency_workbook(path, agency, rows, rng)
    log(f"{path.name}: {path.stat().st_size / 2**20:.1f} MB")
    return path


def survey_csv_1m(path: Path, resolver: GeographyResolver, root: Path) -> None:
    def baseline(work: Path) -> None:
        connection = duckdb.connect(str(work / "w.duckdb"))
        try:
            connection.execute(
                "create table t as select * from read_csv(?, all_varchar = true)", [str(path)]
            )
        finally:
            connection.close()

    def candidate(work: Path) -> None:
        ingest(path, "survey", SURVEY_HOUSEHOLDS, resolver, work)

    compare("survey_csv_1m", baseline, candidate, 3, root)


def agency_xlsx_100k(path: Path, resolver: GeographyResolver, root: Path) -> None:
    def baseline(work: Path) -> None:
        sheet = fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string")
        sheet.__arrow_c_array__()  # every cell into Arrow string columns (pyarrow not needed)

    def candidate(work: Path) -> None:
        ingest(path, "agency", AGENCY_ROWS, resolver, work)

    compare("agency_xlsx_100k", baseline, candidate, 5, root)


def main() -> None:
    villages = build_villages(random.Random(SEED), phase_targets())
    resolver = GeographyResolver(programme_province_codes())  # built once per asset run too
    with tempfile.TemporaryDirectory(prefix="roijai-bench-") as temporary:
        root = Path(temporary)
        survey = write_survey_csv(root, villages)
        agency = write_agency_xlsx(root, villages)
        survey_csv_1m(survey, resolver, root)
        agency_xlsx_100k(agency, resolver, root)


if __name__ == "__main__":
    main()
