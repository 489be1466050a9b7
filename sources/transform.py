"""Set-wise parsing of a staged sheet into typed, pseudonymised rows, each with its problem.

A staged sheet is a DuckDB table of text cells (``c0..cN``, ``_row_number``). Each contract
column becomes one SQL expression over it:

- values that repeat (dates, amounts, codes, moo numbers, most text) are parsed once per
  *distinct* value by the Python normalizer of their type, and joined back: one rule, one
  place, and the cost grows with the distinct values, not the rows;
- text that hardly repeats (identifiers, timestamps) is cleaned, and identifiers are
  pseudonymised, in SQL (``*_sql`` twins of the Python functions, tested to agree);
- village references are resolved once per distinct reference and joined back in the same
  statement.

The first bad cell of a row, in contract order, gives the row its ``_problem_column`` and
``_problem_reason``; such rows go to quarantine, the others to the raw table.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from sources import normalize
from sources.contracts import ColumnContract
from sources.layout import Layout
from sources.pseudonymize import pseudonymize_sql
from sources.resolve import GeographyResolver, VillageReference

PARSERS: dict[str, tuple[Callable[[str | None], object], str]] = {
    "text": (normalize.clean_text, "varchar"),
    "select_multiple": (normalize.parse_options, "varchar"),
    "code8": (lambda value: normalize.normalize_code(value, 8), "varchar"),
    "integer": (normalize.parse_integer, "bigint"),
    "number": (normalize.parse_number, "double"),
    "date": (normalize.parse_date, "date"),
    "moo": (normalize.parse_moo, "integer"),
    "phase": (normalize.parse_phase, "integer"),
    "fiscal_year": (normalize.parse_fiscal_year, "integer"),
}
SQL_TYPES = {name: sql_type for name, (_, sql_type) in PARSERS.items()} | {
    "pseudonym": "varchar",
    "citizen_id": "varchar",
}
TRUE_ANSWERS = ("1", "true", "yes", "ใช่", "มี")  # SQL twin: macros/is_yes_answer.sql
TOTALS_LABEL = r"(รวม|รวมทั้งสิ้น|รวมทั้งหมด|ยอดรวม|total|grand total)\s*:?"
REFERENCE_COLUMNS = ("village_code", "province_name", "district_name", "subdistrict_name", "moo_no")
# Text with fewer distinct values than this share of the rows is cleaned per distinct value.
DISTINCT_SHARE_FOR_MAPPING = 0.1
LINEAGE_COLUMNS = {
    "_file_sha256": "varchar",
    "_file_name": "varchar",
    "_sheet": "varchar",
    "_row_number": "integer",
}


def validity_column(column: ColumnContract) -> str:
    """The flag stored beside a pseudonymised citizen ID: invalid IDs are flagged, not refused."""
    return column.name.removesuffix("_hash") + "_is_valid"


def has_village_reference(columns: list[ColumnContract]) -> bool:
    return any(c.name == "village_code" for c in columns)


def table_columns(columns: list[ColumnContract]) -> dict[str, str]:
    """The warehouse columns for contract columns, with their SQL types."""
    result: dict[str, str] = {}
    for column in columns:
        result[column.name] = SQL_TYPES[column.type]
        if column.type == "citizen_id":
            result[validity_column(column)] = "boolean"
    if has_village_reference(columns):
        result |= {"village_code_reported": "varchar", "village_resolution": "varchar"}
    return result


def is_data_row(width: int) -> str:
    """SQL: the staged row is data, neither blank nor a totals row."""
    first_cell = f"coalesce({', '.join(f's.c{i}' for i in range(width))})"
    totals = f"regexp_full_match(trim({first_cell}), '{TOTALS_LABEL}', 'i')"
    return f"{first_cell} is not null and not {totals}"


def parse_staged(
    connection: duckdb.DuckDBPyConnection,
    staged: str,
    parsed: str,
    layout: Layout,
    key: bytes,
    resolver: GeographyResolver,
) -> None:
    """Create ``parsed``: one row per staged data row (blank and totals rows left out), typed
    columns, ``_extra`` and the problem."""
    values: dict[str, str] = {}  # column name -> SQL expression
    joins: list[str] = []
    problems: list[tuple[str, str, str]] = []  # (condition, column name, reason expression)
    for number, column in enumerate(layout.table.columns):
        value, error = _column_expression(connection, staged, layout, column, number, key, joins)
        values[column.name] = value
        if column.type == "citizen_id":
            values[validity_column(column)] = _validity_expression(layout, column)
        if error is not None:
            problems.append((f"{error} is not null", column.name, error))
        if column.required:
            problems.append((f"{value} is null", column.name, "'required value is missing'"))
    for group in layout.table.required_one_of:
        present = [c.name for c in layout.table.columns if c.name in group and c in layout.columns]
        given = ", ".join(f"cast({values[name]} as varchar)" for name in present)
        problems.append(
            (f"coalesce({given}) is null", group[0], f"'one of {', '.join(group)} is required'")
        )
    if has_village_reference(list(layout.table.columns)):
        village = _join_village_resolutions(connection, staged, layout, resolver, joins)
        values["village_code_reported"] = values["village_code"]
        values["village_code"] = f"coalesce({village}.resolved_code, {values['village_code']})"
        values["village_resolution"] = f"{village}.method"
        problems.append((f"{village}.reason is not null", "village_code", f"{village}.reason"))
    values["_extra"] = _extra_json(layout)
    column_case = " ".join(f"when {cond} then '{name}'" for cond, name, _ in problems)
    reason_case = " ".join(f"when {cond} then {reason}" for cond, _, reason in problems)
    values["_problem_column"] = f"case {column_case} end" if problems else "null::varchar"
    values["_problem_reason"] = f"case {reason_case} end" if problems else "null::varchar"
    selects = ", ".join(f"{expression} as {name}" for name, expression in values.items())
    connection.execute(
        f"create or replace temp table {parsed} as select s._row_number, {selects} "
        f"from {staged} s {' '.join(joins)} where {is_data_row(layout.width)}"
    )


def _validity_expression(layout: Layout, column: ColumnContract) -> str:
    if column not in layout.columns:
        return "null::boolean"
    canonical = normalize.canonical_identifier_sql(f"s.c{layout.columns[column]}")
    valid = normalize.is_valid_citizen_id_sql(canonical)
    return f"case when nullif({canonical}, '') is null then null else {valid} end"


def _column_expression(
    connection,
    staged: str,
    layout: Layout,
    column: ColumnContract,
    number: int,
    key: bytes,
    joins: list[str],
) -> tuple[str, str | None]:
    """The SQL value of a contract column, and the SQL of its parse error (or None)."""
    if column.type == "select_multiple" and layout.options.get(column):
        return _select_multiple(connection, staged, layout, column, number, joins), None
    if column not in layout.columns:
        return f"null::{SQL_TYPES[column.type]}", None
    cell = f"s.c{layout.columns[column]}"
    if column.type in ("pseudonym", "citizen_id"):
        return pseudonymize_sql(cell, key), None
    if column.type == "text" and not _repeats(connection, staged, cell):
        return normalize.clean_text_sql(cell), None
    return _mapped(connection, staged, cell, column.type, f"map_{number}", joins)


def _repeats(connection, staged: str, cell: str) -> bool:
    """Whether a column has few distinct values for its rows (then parse each value once)."""
    distinct, rows = connection.execute(
        f"select approx_count_distinct({cell.removeprefix('s.')}), count(*) from {staged}"
    ).fetchone()
    return distinct <= max(1000, rows * DISTINCT_SHARE_FOR_MAPPING)


def _mapped(connection, staged, cell, column_type, mapping, joins) -> tuple[str, str]:
    _create_mapping(connection, staged, cell.removeprefix("s."), mapping, column_type)
    joins.append(f"left join {mapping} on {cell} = {mapping}.raw")
    return f"{mapping}.value", f"{mapping}.error"


def _create_mapping(connection, staged: str, cell: str, mapping: str, column_type: str) -> None:
    """Parse each distinct raw value of a column once, with the Python normalizer."""
    parser, sql_type = PARSERS[column_type]
    raws = [r for (r,) in connection.execute(f"select distinct {cell} from {staged}").fetchall()]
    values, errors = [], []
    for raw in raws:
        try:
            values.append(parser(raw))
            errors.append(None)
        except ValueError as error:
            values.append(None)
            errors.append(
                f"not understood as {column_type}: {normalize.REDACTED}"
                if normalize.looks_like_identifier(raw)
                else str(error)
            )
    frame = pd.DataFrame({"raw": raws, "value": values, "error": errors}, dtype=object)
    connection.register("parsed_values", frame)
    connection.execute(
        f"create or replace temp table {mapping} as select cast(raw as varchar) as raw, "
        f"cast(value as {sql_type}) as value, cast(error as varchar) as error from parsed_values"
    )
    connection.unregister("parsed_values")


def _select_multiple(connection, staged, layout, column, number, joins) -> str:
    """An answer exported as one 0/1 column per option ('needs/water'), with the
    space-separated column too when a file has both forms."""
    truthy = ", ".join(f"'{t}'" for t in TRUE_ANSWERS)
    chosen = [
        f"case when lower(trim(s.c{position})) in ({truthy}) then '{option}' end"
        for option, position in sorted(layout.options[column].items())
    ]
    options = f"nullif(concat_ws(' ', {', '.join(chosen)}), '')"
    if column not in layout.columns:
        return options  # already distinct and sorted
    written, _ = _mapped(
        connection, staged, f"s.c{layout.columns[column]}", column.type, f"map_{number}", joins
    )
    both = f"string_split(concat_ws(' ', {written}, {options}), ' ')"
    return f"nullif(array_to_string(list_sort(list_distinct({both})), ' '), '')"


def _extra_json(layout: Layout) -> str:
    """Unknown columns, kept as JSON: reported, never silently dropped (but anything that
    looks like a phone number or an ID is redacted)."""
    if not layout.unknown:
        return "null::json"
    pairs = []
    for header, position in layout.unknown.items():
        value = normalize.redact_identifier_sql(normalize.clean_text_sql(f"s.c{position}"))
        pairs.append(f"{sql_string(header)}, {value}")
    return f"json_object({', '.join(pairs)})"


def sql_string(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _join_village_resolutions(
    connection, staged: str, layout: Layout, resolver: GeographyResolver, joins: list[str]
) -> str:
    """Resolve each distinct village reference once; join the results by the raw cells."""
    by_name = {c.name: c for c in layout.columns}
    present = [by_name[name] for name in REFERENCE_COLUMNS if name in by_name]
    cells = [f"c{layout.columns[column]}" for column in present]
    rows = []
    for raw in connection.execute(f"select distinct {', '.join(cells)} from {staged}").fetchall():
        try:
            parsed = {
                c.name: PARSERS[c.type][0](value) for c, value in zip(present, raw, strict=True)
            }
        except ValueError:
            continue  # the row is quarantined for that value already
        resolution = resolver.resolve(
            VillageReference(
                parsed.get("village_code"),
                parsed.get("province_name"),
                parsed.get("district_name"),
                parsed.get("subdistrict_name"),
                parsed.get("moo_no"),
            )
        )
        reason = None
        if not resolution.resolved:
            candidates = ", ".join(resolution.candidates)
            reason = resolution.reason + (f" (candidates: {candidates})" if candidates else "")
        rows.append((*raw, resolution.village_code, resolution.method, reason))
    keys = [f"r{i}" for i in range(len(cells))]
    frame = pd.DataFrame(rows, columns=[*keys, "resolved_code", "method", "reason"], dtype=object)
    connection.register("resolutions", frame)
    connection.execute(
        "create or replace temp table village_resolutions as select "
        + "".join(f"cast({k} as varchar) as {k}, " for k in keys)
        + "cast(resolved_code as varchar) as resolved_code, cast(method as varchar) as method, "
        "cast(reason as varchar) as reason from resolutions"
    )
    connection.unregister("resolutions")
    matches = " and ".join(
        f"s.{cell} is not distinct from village_resolutions.{k}"
        for cell, k in zip(cells, keys, strict=True)
    )
    joins.append(f"left join village_resolutions on {matches}")
    return "village_resolutions"
