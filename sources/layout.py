"""Find a sheet's table: its header row (or the two rows of a two-row header), which contract
table it holds, and what each of its columns means.

Every header of a candidate row is scored against every column of a table (``sources.headers``),
with the values below it as evidence (a column of dates under a header that names an amount
scores low); headers are then assigned to columns best score first, each used once, above
``MATCH_THRESHOLD``. The candidate (row, table) with the best total wins, provided it names every
required column that cannot come from the sheet's context. A form's mapping file
(``sources.mappings``) names some headers outright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sources.context import fact_in_label, facts_in_row, facts_in_text
from sources.contracts import ColumnContract, SourceContract, TableContract, personal_words
from sources.headers import field_path, header_key, read_header, score
from sources.types import FREE_TYPES, NAME_TYPES, PARSERS

HEAD_ROWS = 30  # the header must begin within the first rows of a sheet
SAMPLE_ROWS = 40  # data rows below a header used as evidence of what its columns hold
MATCH_THRESHOLD = 0.6
MIN_COLUMNS = 2  # a table is named by at least this many recognised columns
# Thai yes/no questions end so; English ones begin so and end with "?".
YES_NO_MARKERS_THAI = ("หรือไม่", "ใช่ไหม", "มีไหม", "ไหม")
YES_NO_MARKERS_ENGLISH = ("is", "are", "does", "do", "has", "have", "was", "were", "did", "any")
QUANTITY_TYPES = (
    "integer",
    "number",
    "money",
    "date",
    "partial_date",
    "fiscal_year",
    "moo",
    "code8",
)
CLEARLY_BETTER = 0.5  # a later header row wins only when it names clearly more (a repeat ties)
UNPARSED_WEIGHT = 0.5  # a header's score is scaled down to this when no value below it parses
_NUMERIC = re.compile(r"[\s\d๐-๙.,()\-+/:%]+")


@dataclass(frozen=True)
class Layout:
    """How one sheet maps onto one table contract."""

    table: TableContract
    header_rows: tuple[int, ...]  # indexes of the header row(s) among the sheet's rows
    headers: list[str | None]  # per position; a two-row header's cells joined
    columns: dict[ColumnContract, int]  # contract column -> sheet column position
    scores: dict[ColumnContract, float] = field(default_factory=dict)
    options: dict[ColumnContract, dict[str, int]] = field(default_factory=dict)  # 0/1 columns
    unknown: dict[str, int] = field(default_factory=dict)  # kept, in the _extra JSON column
    personal: list[str] = field(default_factory=list)  # recognised and never read
    header_cells: list[list[str | None]] = field(default_factory=list)  # the header rows

    @property
    def width(self) -> int:
        return len(self.headers)

    @property
    def total(self) -> float:
        return sum(self.scores.values()) + len(self.options)

    def scale(self, column: ColumnContract) -> float:
        """Baht per unit of an amount column, from its header ('(พันบาท)' -> 1000)."""
        header = self.headers[self.columns[column]]
        return read_header(header).scale if header else 1.0


@dataclass(frozen=True)
class Candidate:
    """The best header found for one contract column, for a person reading a failure."""

    table: str
    column: ColumnContract
    header: str | None
    score: float


def find_layout(
    rows: list[list[str | None]],
    contract: SourceContract,
    names: list[tuple[str, str]] = (),
    named: dict[str, dict[str, str]] | None = None,
) -> Layout | None:
    """The table and header row(s) that fit the first rows of a sheet best, if any does.

    ``names``: (source, text) of the sheet name, file name, folder, for facts a table may take
    from them; ``named``: per table, contract column -> header as written (a mapping file)."""
    best: Layout | None = None
    context = {t.table: _context_at_hand(rows, t, names) for t in contract.tables}
    for layout in _candidates(rows, contract, named or {}):
        recognised = _recognised(layout, context[layout.table.table])
        if recognised and (best is None or layout.total > best.total + CLEARLY_BETTER):
            best = layout
    return best


def _context_at_hand(rows, table: TableContract, names: list[tuple[str, str]]) -> set[str]:
    """The context columns that rows of one or two values among the first rows (titles,
    sections, labels) or the sheet's names give a value."""
    found = set()
    for row in rows[: HEAD_ROWS + SAMPLE_ROWS]:
        values = list(dict.fromkeys(c for c in row if c is not None))
        if 1 <= len(values) <= 2:
            found |= {f.column for f in facts_in_row(values, table, "row")}
    for source, text in names:
        found |= {f.column for f in facts_in_text(text, table, source)}
    return found


def best_candidates(rows: list[list[str | None]], contract: SourceContract) -> list[Candidate]:
    """For a sheet no table fits: per column of the closest table, its best header and score."""
    closest = max(_candidates(rows, contract, {}), key=lambda c: c.total, default=None)
    if closest is None:
        return []
    result = []
    for column in closest.table.columns:
        position = closest.columns.get(column)
        if position is not None:
            header, value = closest.headers[position], closest.scores[column]
            result.append(Candidate(closest.table.table, column, header, value))
            continue
        scored = [
            (score(read_header(h), column.vocabulary), h) for h in closest.headers if h is not None
        ]
        top = max(scored, default=(0.0, None))
        result.append(Candidate(closest.table.table, column, top[1], round(top[0], 2)))
    return result


def _candidates(rows, contract: SourceContract, named: dict[str, dict[str, str]]):
    for index in range(min(len(rows), HEAD_ROWS)):
        if not _could_be_header(rows[index]):
            continue
        spans = [(index,)]
        if index + 1 < len(rows) and _could_be_second_header(rows[index], rows[index + 1]):
            spans.append((index, index + 1))
        for span in spans:
            header_cells = [rows[i] for i in span]
            sample = [r for r in rows[span[-1] + 1 :] if _could_be_data(r, header_cells)]
            sample = sample[:SAMPLE_ROWS]
            for table in contract.tables:
                if len(span) == 2 and _reads_as_fact(rows[span[0]], table):
                    continue  # 'วันที่จัดทำแผน | 12 มี.ค. 63' above a header is not part of it
                yield _assign(table, span, header_cells, sample, named.get(table.table, {}))


def _reads_as_fact(row: list[str | None], table: TableContract) -> bool:
    """A row of a label and its value for a column the table may take from context."""
    values = list(dict.fromkeys(c for c in row if c is not None))
    return len(values) == 2 and fact_in_label(values[0], values[1], table, "row") is not None


def has_labels_row(rows: list[list[str | None]]) -> bool:
    """Whether any of the first rows could be a header (two or more labels): a table."""
    return any(_could_be_header(row) for row in rows[:HEAD_ROWS])


def _could_be_data(row: list[str | None], header_cells: list[list[str | None]]) -> bool:
    """A row to take as evidence of a column's values: two or more values, not a header."""
    values = {c for c in row if c is not None}
    return len(values) >= MIN_COLUMNS and row not in header_cells


def _is_numeric(cell: str) -> bool:
    return _NUMERIC.fullmatch(cell) is not None


def _could_be_header(row: list[str | None]) -> bool:
    cells = [c for c in row if c is not None]
    texts = [c for c in cells if not _is_numeric(c)]
    return len(set(texts)) >= MIN_COLUMNS and len(texts) * 2 >= len(cells)


def _could_be_second_header(top: list[str | None], row: list[str | None]) -> bool:
    """Sub-headers under a header row: labels (no numbers), at least two new ones, and one
    of them under a group cell (a top cell spanning several positions) or a blank top cell."""
    if any(c is not None and _is_numeric(c) for c in row):
        return False

    def top_at(i: int) -> str | None:
        return top[i] if 0 <= i < len(top) else None

    new = [(i, c) for i, c in enumerate(row) if c is not None and c != top_at(i)]
    under_group = any(
        top_at(i) is None or top_at(i) in (top_at(i - 1), top_at(i + 1)) for i, _ in new
    )
    return len({c for _, c in new}) >= MIN_COLUMNS and under_group


def _joined_headers(header_rows: list[list[str | None]]) -> list[str | None]:
    """One header per position; a group cell over sub-headers gives 'group sub-header'."""
    width = max(
        (max((i for i, c in enumerate(r) if c is not None), default=-1) for r in header_rows),
        default=-1,
    )
    headers: list[str | None] = []
    for position in range(width + 1):
        parts: list[str] = []
        for row in header_rows:
            cell = row[position] if position < len(row) else None
            if cell is not None and cell not in parts:
                parts.append(cell)
        headers.append(" ".join(parts) or None)
    return headers


def _assign(
    table: TableContract,
    span: tuple[int, ...],
    header_cells: list[list[str | None]],
    sample: list[list[str | None]],
    named: dict[str, str],
) -> Layout:
    headers = _joined_headers(header_cells)
    options = _option_columns(table, headers)
    taken = {p for positions in options.values() for p in positions.values()}
    personal = [
        h
        for p, h in enumerate(headers)
        if h is not None and p not in taken and table.is_personal(h, claimed=True)
    ]
    free = [p for p, h in enumerate(headers) if h is not None and p not in taken]
    free = [p for p in free if headers[p] not in personal]
    columns: dict[ColumnContract, int] = {}
    scores: dict[ColumnContract, float] = {}
    by_key = {header_key(headers[p]): p for p in free}
    for name, written in named.items():
        position = by_key.get(header_key(written))
        if name in table.by_name and position is not None:
            columns[table.by_name[name]], scores[table.by_name[name]] = position, 1.0
    pairs = []
    for position in free:
        if position in columns.values():
            continue
        texts = _header_texts(header_cells, position, headers[position])
        person = personal_words(headers[position])
        yes_no = _asks_yes_or_no(headers[position])
        for column in table.columns:
            if column in columns or (yes_no and column.type in QUANTITY_TYPES):
                continue
            value = max(score(read_header(t), column.vocabulary, person) for t in texts)
            if person and value == 0:
                continue
            if value >= MATCH_THRESHOLD:
                value *= _value_evidence(column, [r[position] if position < len(r) else None
                                                  for r in sample])  # fmt: skip
            if value >= MATCH_THRESHOLD:
                pairs.append((value, -position, column))
    for value, negative_position, column in sorted(pairs, key=lambda p: (-p[0], -p[1])):
        position = -negative_position
        if column not in columns and position not in columns.values():
            columns[column], scores[column] = position, round(value, 3)
    unknown: dict[str, int] = {}
    for position in free:
        if position in columns.values():
            continue
        header = headers[position]
        if table.is_personal(header, claimed=False):
            personal.append(header)
        else:
            unknown[_unique(header, unknown)] = position
    return Layout(table, span, headers, columns, scores, options, unknown, personal, header_cells)


def _asks_yes_or_no(header: str) -> bool:
    """A survey question answered yes or no ('...หรือไม่', 'Is there ...?'): never a count,
    an amount or a date, whatever words it shares with one."""
    words = read_header(header).all_words
    joined = "".join(words)
    return any(marker in joined for marker in YES_NO_MARKERS_THAI) or (
        bool(words) and words[0] in YES_NO_MARKERS_ENGLISH and header.rstrip().endswith("?")
    )


def _header_texts(header_cells, position: int, joined: str) -> list[str]:
    """What a header cell may be read as: the cells of a two-row header joined ('งบประมาณ
    (บาท) จัดสรร'), or its sub-header alone ('จัดสรร'), whichever names a column better."""
    bottom = header_cells[-1][position] if position < len(header_cells[-1]) else None
    return [joined] if bottom in (None, joined) or len(header_cells) == 1 else [joined, bottom]


def _value_evidence(column: ColumnContract, values: list[str | None]) -> float:
    """1 when the values under a header fit the column (parse as its type; for names, are not
    bare numbers), down to UNPARSED_WEIGHT when none does."""
    present = [v for v in values if v is not None]
    if not present or column.type not in PARSERS:
        return 1.0
    if column.type in NAME_TYPES:
        fitting = sum(1 for v in present if not _is_numeric(v))
    elif column.type in FREE_TYPES:
        return 1.0
    else:
        fitting = sum(1 for v in present if _parses(PARSERS[column.type][0], v))
    return UNPARSED_WEIGHT + (1 - UNPARSED_WEIGHT) * fitting / len(present)


def _parses(parse, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _option_columns(table: TableContract, headers: list[str | None]) -> dict:
    """Select-multiple answers exported as one 0/1 column per option ('grp/problems/water'):
    a header whose prefix is itself a header of the sheet, or is shared by several headers
    and names a select-multiple column."""
    keys = {header_key(h) for h in headers if h is not None}
    prefixes: dict[str, list[tuple[int, str]]] = {}
    for position, header in enumerate(headers):
        if header is None:
            continue
        parts = _option_parts(header)
        if parts is not None:
            prefixes.setdefault(parts[0], []).append((position, parts[1]))
    options: dict[ColumnContract, dict[str, int]] = {}
    for prefix, members in prefixes.items():
        named_alone = header_key(prefix) in keys
        if not named_alone and len(members) < MIN_COLUMNS:
            continue
        column = max(
            (c for c in table.columns if c.type == "select_multiple"),
            key=lambda c: score(read_header(prefix), c.vocabulary),
            default=None,
        )
        if column is None or score(read_header(prefix), column.vocabulary) < MATCH_THRESHOLD:
            continue
        for position, option in members:
            options.setdefault(column, {})[option] = position
    return options


def _option_parts(header: str) -> tuple[str, str] | None:
    """'grp_need/problems/water' -> ('grp_need/problems', 'water'); ODK also writes
    'problems-water'. None for a header without a group separator."""
    text = header.strip()
    separator = "/" if "/" in text else "-" if field_path(text) else None
    if separator is None:
        return None
    prefix, _, option = text.rpartition(separator)
    option = option.strip()
    return (prefix.strip(), option) if prefix.strip() and option else None


def _recognised(layout: Layout, context: set[str]) -> bool:
    """A table is recognised when it names enough columns, and every required column and one
    column of each ``required_one_of`` group, or the sheet's context gives them."""
    named = {c.name for c in (*layout.columns, *layout.options)} | context
    if len(set(layout.columns) | set(layout.options)) < MIN_COLUMNS:
        return False
    if not all(c.name in named for c in layout.table.columns if c.required):
        return False
    return all(named & set(group) for group in layout.table.required_one_of)


def _unique(header: str, taken: dict[str, int]) -> str:
    """A repeated unknown header gets a suffix, so no column is lost in the JSON."""
    name, n = header, 1
    while name in taken:
        n += 1
        name = f"{header} ({n})"
    return name
