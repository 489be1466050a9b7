"""Ingest benchmarks: one large file through the ingest (the candidate) against a raw reader
of the same file (the baseline). See docs/benchmarks.md."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import duckdb
import fastexcel

from bench.measure import compare, log
from sources.contracts import load_contracts
from sources.ingest import ingest_file
from sources.raw_tables import ensure_tables
from sources.resolve import GeographyResolver
from sources.sample.generate import (
    AGENCY_FILES,
    Village,
    agency_rows,
    write_agency_workbook,
    write_odk_survey,
)

SEED = 2562
SURVEY_HOUSEHOLDS = 1_000_000
AGENCY_ROWS = 100_000
KEY = b"bench-key"


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
