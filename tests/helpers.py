"""Small writers for test fixtures: real files, read back by the real readers."""

import datetime as dt
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import xlsxwriter


@dataclass(frozen=True)
class FailedFormula:
    """A cell whose formula failed: Excel stores it as an error cell showing ``shown``."""

    formula: str
    shown: str


def write_xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list] = ()) -> Path:
    """Write rows per sheet; datetimes become real Excel dates; a FailedFormula an error cell;
    merges are (r1, c1, r2, c2)."""
    workbook = xlsxwriter.Workbook(path)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, FailedFormula):
                    sheet.write_formula(r, c, value.formula, None, value.shown)
                elif value is not None:
                    sheet.write(r, c, value)
        for top, left, bottom, right in dict(merges).get(name, []):
            sheet.merge_range(top, left, bottom, right, rows[top][left])
    workbook.close()
    return path


@contextmanager
def write_lock_held(duckdb_path: Path) -> Iterator[None]:
    """Another process holds the DuckDB file open read-write (as a running pipeline does)."""
    script = (
        "import duckdb, sys, time; connection = duckdb.connect(sys.argv[1]); "
        "print('open', flush=True); time.sleep(120)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(duckdb_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        yield
    finally:
        holder.kill()
        holder.wait()


def warehouse_text(warehouse):
    """(table.column, distinct values) for every text and JSON column of the warehouse."""
    columns = warehouse.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'JSON')"
    ).fetchall()
    for schema, table, column in columns:
        values = warehouse.execute(
            f"select distinct cast({column} as varchar) from {schema}.{table} "
            f"where {column} is not null"
        ).fetchall()
        yield f"{schema}.{table}.{column}", {v for (v,) in values}


def report_cell(page, table: str, row: str, column: str) -> str:
    """The text a committee report page shows in one cell of one of its tables."""
    row = json.dumps(str(row), ensure_ascii=False)  # a CSS string: quotes in the data escaped
    selector = f'table[data-table="{table}"] tr[data-row={row}] td[data-col="{column}"]'
    return page.inner_text(selector)


def per_person_amounts(seed=16) -> list[tuple[str, int]]:
    """(amount, people) pairs whose quotient is a tie at the satang in decimal (41.00 / 40 =
    1.025, its double a hair below), exact, or anything, for the per-person money rule."""
    generator = random.Random(seed)
    pairs = [("41.00", 40), ("2.675", 1), ("0.57", 2), ("-41.00", 40), ("0", 3), ("10", 0)]
    for _ in range(2000):
        people = generator.randint(1, 60)
        satang = people * generator.randint(0, 10_000_000) + generator.choice([0, people // 2])
        pairs.append((str(Decimal(satang) / 100), people))
    return pairs
