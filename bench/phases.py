"""Where the ingest spends its time: one ingest of each benchmark input, phase by phase.

Phases are timed by wrapping the ingest's own functions for the run; the peak memory of each
top-level phase is the kernel's high-water mark (reset as the phase starts) above the resident
memory at the start of the ingest. Then each contract column's SQL expression is timed alone
over the staged sheet. Results go to stdout (see docs/benchmarks.md). Usage::

    python -m bench.phases
"""

from __future__ import annotations

import collections
import contextlib
import functools
import random
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

import duckdb

from bench.run import (
    AGENCY_ROWS,
    KEY,
    SEED,
    SURVEY_HOUSEHOLDS,
    ingest,
    kernel_peak_bytes,
    reset_kernel_peak,
    resident_bytes,
    write_agency_xlsx,
    write_survey_csv,
)
from sources import ingest as ingest_module
from sources import readers, transform
from sources.contracts import load_contracts
from sources.layout import find_layout
from sources.programme import phase_targets, programme_province_codes
from sources.resolve import GeographyResolver
from sources.sample.generate import build_villages

# (owner, function, label); indented labels are parts of the phase above them
PHASES = (
    (ingest_module, "file_sha256", "hash the file (sha256)"),
    (ingest_module, "read_sheets", "read the file, find the header"),
    (readers, "_sheet_from_calamine", "  cells to Python text (workbook)"),
    (readers.CsvSheet, "stage", "stage text cells in DuckDB (csv)"),
    (readers, "_count_lines", "  count the file's lines"),
    (readers.Sheet, "stage", "stage text cells in DuckDB (workbook)"),
    (ingest_module, "drop_blank_and_totals_rows", "drop blank and totals rows"),
    (ingest_module, "parse_staged", "parse, clean, pseudonymise, resolve"),
    (transform, "_create_mapping", "  distinct values parsed in Python"),
    (transform, "_resolve_villages", "  village resolution, joined back"),
    (ingest_module, "_insert_rows", "insert raw, restricted, quarantine"),
)


def timed(function, label: str, seconds: dict, peaks: dict, start: int):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if not label.startswith(" "):
            reset_kernel_peak()
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[label] += time.perf_counter() - started
            if not label.startswith(" "):
                peaks[label] = max(peaks[label], kernel_peak_bytes() - start)

    return wrapper


def phase_times(path: Path, kind: str, rows: int, resolver, work: Path) -> None:
    seconds: dict[str, float] = collections.defaultdict(float)
    peaks: dict[str, int] = collections.defaultdict(int)
    start = resident_bytes()
    with contextlib.ExitStack() as patches:
        for owner, name, label in PHASES:
            wrapper = timed(getattr(owner, name), label, seconds, peaks, start)
            patches.enter_context(mock.patch.object(owner, name, wrapper))
        started = time.perf_counter()
        ingest(path, kind, rows, resolver, work)
        total = time.perf_counter() - started
    top_level = sum(s for label, s in seconds.items() if not label.startswith(" "))
    other = "other: connect, tables, ledger, commit, close"
    seconds[other] = total - top_level
    print(f"{path.name}: ingest {total:.2f} s; peak: above the ingest's start, during the phase")
    for label in [label for _, _, label in PHASES if label in seconds] + [other]:
        peak = f"  peak +{peaks[label] / 2**20:5.0f} MB" if label in peaks else ""
        print(f"  {label:48s} {seconds[label]:6.2f} s  {seconds[label] / total:4.0%}{peak}")


def column_costs(path: Path, kind: str, work: Path) -> None:
    """Each contract column's expression, alone, over the staged sheet (median of 3)."""
    connection = duckdb.connect(str(work / "columns.duckdb"))
    sheet, layout = next(
        (sheet, layout)
        for sheet in readers.read_sheets(path, work)
        if (layout := find_layout(sheet.head(), load_contracts()[kind])) is not None
    )
    sheet.stage(connection, "staged", layout.header_index + 1, layout.width)
    transform.drop_blank_and_totals_rows(connection, "staged", layout.width)
    expressions = []
    for number, column in enumerate(layout.table.columns):
        joins: list[str] = []
        value, _ = transform._column_expression(
            connection, "staged", layout, column, number, KEY, joins
        )
        if not value.startswith("null::"):
            expressions.append((f"{column.name} ({column.type})", value, " ".join(joins)))
        if column.type == "citizen_id":
            validity = transform._validity_expression(layout, column)
            expressions.append((f"{transform.validity_column(column)} (check)", validity, ""))
    expressions.append(("_extra (unknown columns as JSON)", transform._extra_json(layout), ""))
    print(f"{path.name}: each column's expression alone, over {layout.table.table}")
    for label, expression, joins in expressions:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            connection.execute(
                f"create or replace temp table cost as select {expression} from staged s {joins}"
            )
            runs.append(time.perf_counter() - started)
        print(f"  {label:48s} {statistics.median(runs):6.2f} s")
    connection.close()


def main() -> None:
    villages = build_villages(random.Random(SEED), phase_targets())
    resolver = GeographyResolver(programme_province_codes())
    with tempfile.TemporaryDirectory(prefix="roijai-phases-") as temporary:
        root = Path(temporary)
        survey = write_survey_csv(root, villages)
        agency = write_agency_xlsx(root, villages)
        for path, kind, rows in (
            (survey, "survey", SURVEY_HOUSEHOLDS),
            (agency, "agency", AGENCY_ROWS),
        ):
            phase_times(path, kind, rows, resolver, Path(tempfile.mkdtemp(dir=root)))
            column_costs(path, kind, Path(tempfile.mkdtemp(dir=root)))


if __name__ == "__main__":
    main()
