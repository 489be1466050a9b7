"""CSV copies of the published tables, for people who open them in Excel or LibreOffice.

Written from the published file (never the warehouse), UTF-8 with a byte-order mark so that
Excel shows Thai text, every text cell that a spreadsheet would run as a formula neutralised
(``serving.formulas``), numbers and dates as they are. ``python -m serving.csv_export`` (``make
csv``) writes one file per published table to ``$ROIJAI_DATA_DIR/exports/csv/``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb

from serving.formulas import neutralise_formula
from serving.publication import READER, PublishedPaths, read_manifest
from sources.settings import load_settings

BATCH_ROWS = 10_000


def export_csv(paths: PublishedPaths, folder: Path) -> dict[str, int]:
    """Write every table of the publication's manifest to ``folder/<table>.csv``; return the
    rows written per table (the manifest's counts)."""
    manifest = read_manifest(paths)
    if manifest is None:
        raise FileNotFoundError(f"nothing is published in {paths.folder} yet: run make run")
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    with duckdb.connect(str(paths.database), read_only=True, config=READER) as connection:
        for table in manifest["tables"]:
            written[table] = _write_table(connection, table, folder / f"{table}.csv")
    return written


def _write_table(connection: duckdb.DuckDBPyConnection, table: str, path: Path) -> int:
    result = connection.execute(f"select * from {table}")
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([neutralise_formula(name) for name, *_ in result.description])
        while batch := result.fetchmany(BATCH_ROWS):
            writer.writerows([_cell(value) for value in row] for row in batch)
            rows += len(batch)
    return rows


def _cell(value: object) -> object:
    return neutralise_formula(value) if isinstance(value, str) else value


def main() -> None:
    settings = load_settings()
    folder = settings.data_dir / "exports" / "csv"
    try:
        written = export_csv(PublishedPaths(settings.published_dir), folder)
    except FileNotFoundError as error:
        sys.exit(str(error))
    for table, rows in written.items():
        print(f"{folder / table}.csv: {rows:,} rows")


if __name__ == "__main__":
    main()
