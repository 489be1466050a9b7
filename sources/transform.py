"""Set-wise parsing of a staged sheet into typed, pseudonymised rows, each with its problem.

A staged sheet is a DuckDB table of text cells (``c0..cN``, ``_row_number``). Each contract
column becomes one SQL expression over it:

- values that repeat (dates, amounts, codes, moo numbers...) are parsed once per *distinct*
  value by the Python normalizer of their type, and joined back: one rule, one place, and
  the cost grows with the distinct values, not the rows;
- free text is cleaned, and identifiers are pseudonymised, in SQL (``*_sql`` twins of the
  Python functions, tested to agree).

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
    "code8": (lambda value: normalize.normalize_code(value, 8), "varchar"),
    "integer": (normalize.parse_integer, "bigint"),
    "number": (normalize.parse_number, "double"),
    "date": (normalize.parse_date, "date"),
    "moo": (normalize.parse_moo, "integer"),
    "phase": (normalize.parse_phase, "integer"),
    "fiscal_year": (normalize.parse_fiscal_year, "integer"),
}
SQL_TYPES = {name: sql_type for name, (_, sql_type) in PARSERS.items()} | {
    "text": "varchar",
    "select_multiple": "varchar",
    "pseudonym": "varchar",
    "citizen_id": "varchar",
}
TRUE_ANSWERS = ("1", "true", "yes", "ใช่", "มี")
TOTALS_LABEL = r"(รวม|รวมทั้งสิ้น|รวมทั้งหมด|ยอดรวม|total|grand total)\s*:?"
REFERENCE_COLUMNS = ("village_code", "province_name", "district_name", "subdistrict_name", "moo_no")
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


def drop_blank_and_totals_rows(connection: duckdb.DuckDBPyConnection, staged: str, width: int):
    """Remove rows that are no data (blank, or a totals row); return how many there were."""
    first_cell = f"coalesce({', '.join(f'c{i}' for i in range(width))})"
    (skipped,) = connection.execute(
        f"select count(*) from {staged} where {first_cell} is null "
        f"or regexp_full_match(trim({first_cell}), '{TOTALS_LABEL}', 'i')"
    ).fetchone()
    connection.execute(
        f"delete from {staged} where {first_cell} is null "
        f"or regexp_full_match(trim({first_cell}), '{TOTALS_LABEL}', 'i')"
    )
    return skipped


def parse_staged(
    connection: duckdb.DuckDBPyConnection,
    staged: str,
    parsed: str,
    layout: Layout,
    key: bytes,
    resolver: GeographyResolver,
) -> None:
    """Create ``parsed``: one row per staged row, typed columns, ``_extra`` and the problem."""
    selects: list[str] = ["s._row_number"]
    joins: list[str] = []
    problems: list[tuple[str, str, str]] = []  # (condition, column name, reason expression)
    for number, column in enumerate(layout.table.columns):
        value, error = _column_expression(connection, staged, layout, column, number, key, joins)
        selects.append(f"{value} as {column.name}")
        if column.type == "citizen_id":
            selects.append(f"{_validity_expression(layout, column)} as {validity_column(column)}")
        if error is not None:
            problems.append((f"{error} is not null", column.name, error))
        if column.required:
            problems.append((f"{value} is null", column.name, "'required value is missing'"))
    for group in layout.table.required_one_of:
        present = [c.name for c in layout.table.columns if c.name in group and c in layout.columns]
        values = ", ".join(f"cast({_expression_of(selects, n)} as varchar)" for n in present)
        problems.append(
            (f"coalesce({values}) is null", group[0], f"'one of {', '.join(group)} is required'")
        )
    selects.append(f"{_extra_json(layout)} as _extra")
    column_case = " ".join(f"when {cond} then '{name}'" for cond, name, _ in problems)
    reason_case = " ".join(f"when {cond} then {reason}" for cond, _, reason in problems)
    selects.append(
        f"case {column_case} else null end as _problem_column"
        if problems
        else "null::varchar as _problem_column"
    )
    selects.append(
        f"case {reason_case} else null end as _problem_reason"
        if problems
        else "null::varchar as _problem_reason"
    )
    connection.execute(
        f"create or replace temp table {parsed} as select {', '.join(selects)} "
        f"from {staged} s {' '.join(joins)}"
    )
    if has_village_reference(list(layout.table.columns)):
        _resolve_villages(connection, parsed, layout, resolver)


def _validity_expression(layout: Layout, column: ColumnContract) -> str:
    if column not in layout.columns:
        return "null::boolean"
    canonical = normalize.canonical_identifier_sql(f"s.c{layout.columns[column]}")
    valid = normalize.is_valid_citizen_id_sql(canonical)
    return f"case when nullif({canonical}, '') is null then null else {valid} end"


def _expression_of(selects: list[str], name: str) -> str:
    """The SQL expression already built for a column (selects are 'expr as name')."""
    suffix = f" as {name}"
    return next(s[: -len(suffix)] for s in selects if s.endswith(suffix))


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
    sql_type = SQL_TYPES[column.type]
    if column.type == "select_multiple":
        return _select_multiple(layout, column), None
    if column not in layout.columns:
        return f"null::{sql_type}", None
    cell = f"s.c{layout.columns[column]}"
    if column.type == "text":
        return normalize.clean_text_sql(cell), None
    if column.type in ("pseudonym", "citizen_id"):
        return pseudonymize_sql(cell, key), None
    mapping = f"map_{number}"
    _create_mapping(connection, staged, cell.removeprefix("s."), mapping, column.type)
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


def _select_multiple(layout: Layout, column: ColumnContract) -> str:
    """One answer as its options, space-separated and sorted, from either export form."""
    parts = []
    if column in layout.columns:
        parts.append(normalize.clean_text_sql(f"s.c{layout.columns[column]}"))
    for option, position in sorted(layout.options.get(column, {}).items()):
        answer = f"lower(trim(s.c{position}))"
        truthy = ", ".join(f"'{t}'" for t in TRUE_ANSWERS)
        parts.append(f"case when {answer} in ({truthy}) then '{option}' end")
    if not parts:
        return "null::varchar"
    joined = f"concat_ws(' ', {', '.join(parts)})"
    return (
        f"nullif(array_to_string(list_sort(list_distinct(string_split({joined}, ' '))), ' '), '')"
    )


def _extra_json(layout: Layout) -> str:
    """Unknown columns, kept as JSON: reported, never silently dropped (but anything that
    looks like a phone number or an ID is redacted)."""
    if not layout.unknown:
        return "null::json"
    pairs = []
    for header, position in layout.unknown.items():
        value = normalize.redact_identifier_sql(normalize.clean_text_sql(f"s.c{position}"))
        pairs.append(f"{_sql_string(header)}, {value}")
    return f"json_object({', '.join(pairs)})"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _resolve_villages(connection, parsed: str, layout: Layout, resolver: GeographyResolver):
    """Give every row an official village code, or its reason for quarantine."""
    present = {c.name for c in layout.table.columns}
    reference = [name if name in present else f"null as {name}" for name in REFERENCE_COLUMNS]
    distinct = connection.execute(
        f"select distinct {', '.join(reference)} from {parsed} where _problem_reason is null"
    ).fetchall()
    rows = []
    for code, province, district, subdistrict, moo in distinct:
        resolution = resolver.resolve(VillageReference(code, province, district, subdistrict, moo))
        reason = None
        if not resolution.resolved:
            candidates = ", ".join(resolution.candidates)
            reason = resolution.reason + (f" (candidates: {candidates})" if candidates else "")
        rows.append(
            (
                code,
                province,
                district,
                subdistrict,
                moo,
                resolution.village_code,
                resolution.method,
                reason,
            )
        )
    frame = pd.DataFrame(
        rows, columns=[*REFERENCE_COLUMNS, "resolved_code", "method", "reason"], dtype=object
    )
    connection.register("resolutions", frame)
    connection.execute(
        "create or replace temp table village_resolutions as select "
        + ", ".join(f"cast({c} as varchar) as {c}" for c in REFERENCE_COLUMNS[:4])
        + ", cast(moo_no as integer) as moo_no, cast(resolved_code as varchar) as resolved_code,"
        " cast(method as varchar) as method, cast(reason as varchar) as reason from resolutions"
    )
    connection.unregister("resolutions")
    matches = " and ".join(
        f"p.{name} is not distinct from r.{name}" if name in present else f"r.{name} is null"
        for name in REFERENCE_COLUMNS
    )
    connection.execute(
        f"create or replace temp table {parsed} as select p.* replace ("
        "coalesce(r.resolved_code, p.village_code) as village_code, "
        "case when r.reason is not null and p._problem_reason is null then 'village_code' "
        "else p._problem_column end as _problem_column, "
        "coalesce(p._problem_reason, r.reason) as _problem_reason), "
        "p.village_code as village_code_reported, r.method as village_resolution "
        f"from {parsed} p left join village_resolutions r on {matches}"
    )
