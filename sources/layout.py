"""Find where a sheet's header row is and what each of its columns means under a contract."""

from __future__ import annotations

from dataclasses import dataclass, field

from sources.contracts import ColumnContract, SourceContract, TableContract


@dataclass(frozen=True)
class Layout:
    """How one sheet maps onto one table contract."""

    table: TableContract
    header_index: int  # index of the header row among the sheet's rows
    headers: list[str | None]
    columns: dict[ColumnContract, int]  # contract column -> sheet column position
    options: dict[ColumnContract, dict[str, int]] = field(default_factory=dict)  # 0/1 columns
    unknown: dict[str, int] = field(default_factory=dict)  # kept, in the _extra JSON column
    personal: list[str] = field(default_factory=list)  # recognised and never read

    @property
    def width(self) -> int:
        return len(self.headers)


def find_layout(head: list[list[str | None]], contract: SourceContract) -> Layout | None:
    """The table and header row that match the first rows of a sheet best, if any does.

    A row is a header for a table when it names every required column of that table and at
    least one column of each ``required_one_of`` group; the row naming most columns wins.
    """
    best: Layout | None = None
    for index, row in enumerate(head):
        for table in contract.tables:
            layout = _map_headers(table, index, row)
            if layout is None:
                continue
            if best is None or _score(layout) > _score(best):
                best = layout
    return best


def _score(layout: Layout) -> int:
    return len(layout.columns) + len(layout.options)


def _map_headers(table: TableContract, index: int, row: list[str | None]) -> Layout | None:
    last = max((i for i, cell in enumerate(row) if cell is not None), default=-1)
    headers = list(row[: last + 1])
    columns: dict[ColumnContract, int] = {}
    options: dict[ColumnContract, dict[str, int]] = {}
    unknown: dict[str, int] = {}
    personal: list[str] = []
    for position, header in enumerate(headers):
        if header is None:
            continue
        column = table.match_header(header)
        if column is not None and column not in columns:
            columns[column] = position
        elif (option := table.match_option(header)) is not None:
            options.setdefault(option[0], {})[option[1]] = position
        elif table.is_personal(header):
            personal.append(header)
        else:
            unknown[_unique(header, unknown)] = position
    named = set(columns) | set(options)
    names = {c.name for c in named}
    if not all(c in named for c in table.columns if c.required):
        return None
    if not all(names & set(group) for group in table.required_one_of):
        return None
    return Layout(table, index, headers, columns, options, unknown, personal)


def _unique(header: str, taken: dict[str, int]) -> str:
    """A repeated unknown header gets a suffix, so no column is lost in the JSON."""
    name, n = header, 1
    while name in taken:
        n += 1
        name = f"{header} ({n})"
    return name
