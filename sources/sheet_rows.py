"""What each row of a staged sheet is, and the value each contract column takes in it.

A sheet holds more than its table's rows. Every row gets a kind, set-wise in DuckDB:

- ``blank``; ``header`` (the header, or the header repeated where two printouts were pasted
  together); ``title`` (above the first header); ``hxl`` (a Kobo row of #hashtags);
- ``totals`` (``รวม``, ``รวมทั้งสิ้น``, ``รวม อ.เชียงดาว``, ``Total: 23 villages``: kept apart as
  control totals); ``section`` (one value across the row: "ระยะที่ ๑", "อำเภอเชียงดาว", a
  village plan's block title, a note); ``fact`` (a label and its value, "วันที่จัดทำแผน | date");
- ``data``: everything else, which is loaded or quarantined.

Title, section and fact rows (and the sheet name, file name and landing sub-folder) give facts
(``sources.context``) that apply to the data rows below them. A contract column's value in a row
is its own cell, else the cell above it when the column is written once per run of rows
(``fill_down``; a run ends at any non-data row, and a district written anew ends the run of its
subdistricts), else the nearest fact above, else a fact of the sheet's names. ``_context``
records, per row, where each value that is not the row's own came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from sources.context import NAME_SOURCES, Fact, fact_in_label, facts_in_row, facts_in_text
from sources.contracts import ColumnContract
from sources.layout import Layout
from sources.sql import sql_string

HEADER_MATCH_SHARE = 0.6  # of a header row's cells a row must repeat to be that header again
PAIR_MAX_CELLS = 6  # a label-and-value row has few non-blank cells (merges repeat them)
# A totals row's first cell: "รวม" alone or followed by what it totals, or "(grand/sub) total".
TOTALS_LABEL = (
    r"^\s*((ยอด)?รวม(\s|$|ทั้ง|ทุก|ยอด|งบ|เงิน|จังหวัด|อำเภอ|ตำบล|หมู่บ้าน|ระยะ|จ\.|อ\.|ต\.|[0-9:(-])"
    r"|((grand|sub)\s*-?\s*)?totals?\b)"
)
# A totals row over the whole table (not a subtotal of a district, a phase, ...): "รวมทั้งสิ้น",
# "Grand total", or "รวม" / "Total" alone or with a count ("รวม 47 หมู่บ้าน", "Total: 23 ...").
GRAND_TOTAL_LABEL = (
    r"(ทั้งสิ้น|ทั้งหมด|ทั้งจังหวัด|grand|^\s*totals?\b"
    r"|^\s*(ยอด)?รวม\s*:?\s*([0-9๐-๙][0-9๐-๙,]*\s*[^\s0-9๐-๙]*)?\s*$)"
)
NOT_DATA_KINDS = ("header", "title", "hxl", "totals", "section", "fact")
GEOGRAPHY_CHAIN = ("province_name", "district_name", "subdistrict_name")


@dataclass(frozen=True)
class SheetNames:
    """The names around a sheet, each a source of facts: sheet, file, landing sub-folder."""

    sheet: str
    file: str
    folder: str | None = None

    def texts(self) -> list[tuple[str, str]]:
        pairs = zip(NAME_SOURCES, (self.sheet, self.file, self.folder), strict=True)
        return [(source, text) for source, text in pairs if text]


def _cells(width: int) -> list[str]:
    return [f"s.c{i}" for i in range(width)]


def classify_rows(connection: duckdb.DuckDBPyConnection, staged: str, kinds: str, layout: Layout):
    """Create ``kinds`` (_row_number, _kind, _block) for every staged row, and return the facts
    its title, section and fact rows give, each with the row number it came from.

    A row's cells are one list, tested by one expression each: an expression per cell would
    nest as deep as the sheet is wide (DuckDB refuses past 1,000) and plan in quadratic time."""
    columns = _cells(layout.width)
    header_tests = [_repeats_header(cells) for cells in layout.header_cells]
    # a header (repeated or not) begins with one of the header rows' first labels
    labels = [next((c for c in cells if c is not None), "") for cells in layout.header_cells]
    first_labels = f"first_cell in ({', '.join(sql_string(label) for label in labels)})"
    connection.execute(
        f"""
        create or replace temp table {kinds} as
        with cells as (
            select s._row_number, [{", ".join(columns)}] as cells,
                trim(coalesce({", ".join(columns)})) as first_cell,
                least({", ".join(columns)}) as low,
                greatest({", ".join(columns)}) as high
            from {staged} s
        ),
        features as (
            select s._row_number, list_count(s.cells) as nonblank, s.first_cell,
                s.low = s.high as one_value,
                case when starts_with(s.first_cell, '#')
                    then len(list_filter(s.cells, c -> starts_with(c, '#'))) else 0 end
                    as hashes,
                case when {first_labels} then {header_tests[0]} else false end
                    as starts_header,
                case when {first_labels} then {" or ".join(f"({t})" for t in header_tests)}
                    else false end as is_header,
                -- a label and its value: two distinct values, in a row of few cells (merges
                -- repeat them)
                case when list_count(s.cells) between 2 and {PAIR_MAX_CELLS}
                    then len(list_filter(s.cells, c -> c not in (s.low, s.high))) = 0 end
                    as two_valued
            from cells s
        ),
        blocks as (
            select *, sum(starts_header::int) over (order by _row_number) as block
            from features
        )
        select _row_number, block as _block,
            case
                when nonblank = 0 then 'blank'
                when is_header then 'header'
                when block = 0 then 'title'
                when hashes = nonblank then 'hxl'
                when regexp_matches(first_cell, {sql_string(TOTALS_LABEL)}, 'i') then 'totals'
                when one_value then 'section'
                when two_valued then 'pair'
                else 'data'
            end as _kind
        from blocks
        """
    )
    facts = _row_facts(connection, staged, kinds, layout)
    connection.execute(
        f"update {kinds} set _kind = case when list_contains(?, _row_number) then 'fact' "
        "else 'data' end where _kind = 'pair'",
        [sorted({row for row, _ in facts})],
    )
    return facts


def _repeats_header(header: list[str | None]) -> str:
    """A test that a row's cells (``s.cells``) repeat enough of a header row's cells."""
    named = [cell for cell in header if cell is not None]
    if not named:
        return "false"
    need = max(2, math.ceil(HEADER_MATCH_SHARE * len(named)))
    expected = ", ".join("null" if cell is None else sql_string(cell) for cell in header)
    pairs = f"list_zip(s.cells, [{expected}]::varchar[])"
    return f"len(list_filter({pairs}, p -> trim(p[1]) = p[2])) >= {need}"


def _row_facts(connection, staged: str, kinds: str, layout: Layout) -> list[tuple[int, Fact]]:
    """Facts of the title, section and label-and-value rows (read in Python: they are few),
    with their row numbers."""
    rows = connection.execute(
        f"select k._row_number, k._kind, [{', '.join(_cells(layout.width))}] from {kinds} k "
        f"join {staged} s using (_row_number) where k._kind in ('title', 'section', 'pair') "
        "order by 1"
    ).fetchall()
    facts: list[tuple[int, Fact]] = []
    for row_number, kind, values in rows:
        distinct = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
        source = f"row {row_number}"
        if kind != "pair":
            facts.extend((row_number, f) for f in facts_in_row(distinct, layout.table, source))
        elif len(distinct) == 2:
            fact = fact_in_label(distinct[0], distinct[1], layout.table, source)
            facts.extend([(row_number, fact)] if fact else [])
    return facts


def prepare_values(
    connection: duckdb.DuckDBPyConnection,
    staged: str,
    kinds: str,
    prepared: str,
    layout: Layout,
    facts: list[tuple[int, Fact]],
    names: SheetNames,
) -> None:
    """Create the view ``prepared``: every staged row with its kind, one text column
    ``v_<name>`` per contract column that has a value anywhere (own cell, filled down, fact),
    and ``_context``. Only what needs a window (a column with blanks to fill, facts given by
    rows) is computed into a table, ``<prepared>_filled``: a plain export costs no copy."""
    table = layout.table
    name_level: dict[str, Fact] = {}
    for source, text in names.texts():
        for fact in facts_in_text(text, table, source):
            name_level.setdefault(fact.column, fact)
    fill = _columns_to_fill(connection, staged, kinds, layout)
    windows = _create_windows(connection, staged, kinds, prepared, layout, fill, facts)
    selects, sources = [], []
    for column in table.columns:
        values: list[tuple[str, str | None]] = []  # (value, where it came from; None: own)
        if column in layout.columns:
            cell = f"s.c{layout.columns[column]}"
            own = f"nullif(trim({cell}), '')" if column.context or column in fill else cell
            values.append((own, None))
        if column in fill:
            values.append((f"w.w_{column.name}", "'filled down'"))
        if f"w_{column.name}_fact" in windows:
            values.append((f"w.w_{column.name}_fact", f"w.w_{column.name}_source"))
        if column.context and column.name in name_level:
            named = name_level[column.name]
            values.append((sql_string(named.value), sql_string(named.source)))
        if not values:
            continue
        selects.append(f"coalesce({', '.join(v for v, _ in values)}) as v_{column.name}")
        cases = " ".join(f"when {v} is not null then {s}" for v, s in values if s is not None)
        if cases:
            own = values[0][0] if values[0][1] is None else None
            own_test = f"when {own} is not null then null " if own else ""
            sources.append((column.name, f"case {own_test}{cases} end"))
    filled_join = f"left join {prepared}_filled w using (_row_number)" if windows else ""
    connection.execute(
        f"""
        create or replace temp view {prepared} as
        select s.*, k._kind, k._block, {", ".join(selects) or "null::varchar as v_none"},
            {_context_json(sources)} as _context
        from {staged} s
        join {kinds} k using (_row_number)
        {filled_join}
        """
    )


def _columns_to_fill(connection, staged: str, kinds: str, layout: Layout) -> set[ColumnContract]:
    """The fill-down columns with a blank cell in some data row (the others need no window)."""
    candidates = [c for c in layout.table.columns if c.fill_down and c in layout.columns]
    if not candidates:
        return set()
    counts = connection.execute(
        "select "
        + ", ".join(
            f"count(*) filter (where nullif(trim(s.c{layout.columns[c]}), '') is null)"
            for c in candidates
        )
        + f" from {staged} s join {kinds} k using (_row_number) where k._kind = 'data'"
    ).fetchone()
    return {c for c, blanks in zip(candidates, counts, strict=True) if blanks}


def _create_windows(connection, staged, kinds, prepared, layout, fill, row_facts) -> set[str]:
    """Create ``<prepared>_filled`` with the values that need a window: the cell above for a
    column filled down, the nearest fact above for a context column. Returns its columns."""
    if not fill and not row_facts:
        return set()
    rows: dict[int, dict[str, object]] = {}
    for row_number, fact in row_facts:
        row = rows.setdefault(row_number, {"row_number": row_number})
        row.setdefault(f"f_{fact.column}", fact.value)
        row.setdefault(f"fs_{fact.column}", fact.source)
    by_column = list(dict.fromkeys(fact.column for _, fact in row_facts))
    fact_columns = ["row_number"] + [f"{p}_{c}" for c in by_column for p in ("f", "fs")]
    frame = pd.DataFrame(list(rows.values()), columns=fact_columns, dtype=object)
    connection.register("sheet_facts_frame", frame)
    casts = ", ".join(
        f"cast({c} as {'integer' if c == 'row_number' else 'varchar'}) as {c}" for c in fact_columns
    )
    connection.execute(
        f"create or replace temp table {prepared}_facts as select {casts} from sheet_facts_frame"
    )
    connection.unregister("sheet_facts_frame")
    _run_keys(connection, staged, kinds, f"{prepared}_keys", layout)
    window = "order by s._row_number rows between unbounded preceding and current row"
    selects = {}
    for column in fill:
        own = f"nullif(trim(s.c{layout.columns[column]}), '')"
        selects[f"w_{column.name}"] = (
            f"last_value(case when k._kind = 'data' then {own} end ignore nulls) "
            f"over (partition by {_partition(column, layout)} {window})"
        )
    for column in by_column:
        selects[f"w_{column}_fact"] = f"last_value(f.f_{column} ignore nulls) over ({window})"
        selects[f"w_{column}_source"] = f"last_value(f.fs_{column} ignore nulls) over ({window})"
    columns = ", ".join(f"{expression} as {name}" for name, expression in selects.items())
    connection.execute(
        f"""
        create or replace temp table {prepared}_filled as
        select s._row_number, {columns}
        from {staged} s
        join {prepared}_keys k using (_row_number)
        left join {prepared}_facts f on f.row_number = s._row_number
        """
    )
    connection.execute(f"drop table {prepared}_facts")
    connection.execute(f"drop table {prepared}_keys")
    return set(selects)


def _run_keys(connection, staged: str, kinds: str, keys: str, layout: Layout) -> None:
    """Per row: the run of rows it is in (a non-data row ends a run) and, per place column,
    how many of its larger places were written anew so far (a new district, a new run of
    subdistricts)."""
    breaks = ", ".join(f"'{k}'" for k in NOT_DATA_KINDS)
    counters = [
        f"count(case when k._kind = 'data' then nullif(trim(s.c{layout.columns[c]}), '') end) "
        f"over (order by s._row_number) as g_{c.name}"
        for c in _places_given(GEOGRAPHY_CHAIN[:-1], layout)
    ]
    connection.execute(
        f"""
        create or replace temp table {keys} as
        select s._row_number, k._kind, k._block,
            sum(case when k._kind in ({breaks}) then 1 else 0 end)
                over (order by s._row_number) as run{"".join(f", {c}" for c in counters)}
        from {staged} s join {kinds} k using (_row_number)
        """
    )


def _partition(column: ColumnContract, layout: Layout) -> str:
    """The run of a filled-down column: its run of rows, and for a place, its larger places'."""
    parents = []
    if column.name in GEOGRAPHY_CHAIN:
        parents = _places_given(GEOGRAPHY_CHAIN[: GEOGRAPHY_CHAIN.index(column.name)], layout)
    return ", ".join(["k.run", *(f"k.g_{parent.name}" for parent in parents)])


def _places_given(names: tuple[str, ...], layout: Layout) -> list[ColumnContract]:
    """The place columns among ``names`` that the sheet has a column for."""
    columns = (layout.table.by_name.get(name) for name in names)
    return [c for c in columns if c is not None and c in layout.columns]


def _context_json(sources: list[tuple[str, str]]) -> str:
    """A JSON object of where each value not the row's own came from, or null."""
    if not sources:
        return "null::json"
    members = ", ".join(
        f"case when {case} is not null then '\"{name}\": ' || to_json({case}) end"
        for name, case in sources
    )
    return f"nullif('{{' || concat_ws(', ', {members}) || '}}', '{{}}')::json"
