"""Set-wise parsing of a prepared sheet into typed, pseudonymised rows, each with its problem.

A prepared sheet (``sources.sheet_rows``) holds, per staged row, its kind and one text value
``v_<name>`` per contract column. Each contract column becomes one SQL expression over it:

- values that repeat (dates, amounts, codes, moo numbers, places, most text) are parsed once per
  *distinct* value by the Python parser of their type (``sources.types``), and joined back: one
  rule, one place, and the cost grows with the distinct values, not the rows;
- text that hardly repeats (identifiers, timestamps) is cleaned, and identifiers are
  pseudonymised, in SQL (``*_sql`` twins of the Python functions, tested to agree);
- a free-text location gives the row's village name and fills its moo, subdistrict, district
  and province where no column of their own holds them;
- village references are resolved once per distinct reference and joined back.

The first problem of a row, in contract order, gives it its ``_problem_column`` and
``_problem_reason``; such rows go to quarantine, the others to the raw table.
"""

from __future__ import annotations

import functools

import duckdb
import pandas as pd

from sources import normalize
from sources.contracts import ColumnContract, TableContract
from sources.layout import Layout
from sources.pseudonymize import pseudonymize_sql
from sources.resolve import GeographyResolver, VillageReference, village_name_key
from sources.sql import sql_string
from sources.types import IDENTIFIER_TYPES, PARSERS, PRECISION_SUFFIX, SQL_TYPES

TRUE_ANSWERS = ("1", "true", "yes", "ใช่", "มี")  # SQL twin: macros/is_yes_answer.sql
REFERENCE_COLUMNS = ("village_code", "province_name", "district_name", "subdistrict_name", "moo_no")
LOCATION_PARTS = {  # reference column -> part of a parsed location
    "province_name": "province",
    "district_name": "district",
    "subdistrict_name": "subdistrict",
    "moo_no": "moo",
}
REFERENCE_EXTRAS = ("village_code_reported", "village_resolution", "village_area_code")
# Types with a SQL twin of their parser, used for values that hardly repeat (tested to agree).
SQL_TWINS = {
    "text": normalize.clean_text_sql,
    "submission_key": normalize.parse_submission_key_sql,
}
# Text with fewer distinct values than this share of the rows is cleaned per distinct value.
DISTINCT_SHARE_FOR_MAPPING = 0.1
LINEAGE_COLUMNS = {
    "_file_sha256": "varchar",
    "_file_name": "varchar",
    "_sheet": "varchar",
    "_row_number": "integer",
    "_context": "json",
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
        if column.type == "partial_date":
            result[column.name + PRECISION_SUFFIX] = "varchar"
        if column.type == "location":
            result[column.name + "_key"] = "varchar"
    if has_village_reference(columns):
        result |= {
            "village_code_reported": "varchar",
            "village_resolution": "varchar",
            "village_area_code": "varchar",
        }
    return result


def parse_staged(
    connection: duckdb.DuckDBPyConnection,
    prepared: str,
    parsed: str,
    layout: Layout,
    key: bytes,
    resolver: GeographyResolver,
) -> None:
    """Create ``parsed``: one row per data row of ``prepared``, typed columns, ``_extra``,
    ``_context`` and the problem."""
    table = layout.table
    available = _available(connection, prepared)
    values: dict[str, str] = {}  # output column -> SQL expression over s (prepared) and maps
    errors: dict[str, str] = {}  # contract column -> SQL of its parse error
    joins: list[str] = []
    for number, column in enumerate(table.columns):
        cell = f"s.v_{column.name}" if column.name in available else None
        _column_values(
            connection, prepared, layout, column, cell, number, key, values, errors, joins
        )
        if cell is not None and column.name not in errors:  # parsed values say it themselves
            errors[column.name] = normalize.spreadsheet_error_reason_sql(cell)
    location = next((c for c in table.columns if c.type == "location"), None)
    if location is not None and location.name in available:
        for name, part in LOCATION_PARTS.items():
            if name in values:
                values[name] = f"coalesce({values[name]}, loc_{location.name}.{part})"
    values["_extra"] = _extra_json(layout)
    values["_context"] = "s._context"
    error_selects = "".join(f", {sql} as _error_{name}" for name, sql in errors.items())
    selects = ", ".join(f"{expression} as {name}" for name, expression in values.items())
    selects += error_selects
    connection.execute(
        f"create or replace temp view {parsed}_values as select s._row_number, {selects} "
        f"from {prepared} s {' '.join(joins)} where s._kind = 'data'"
    )
    problems = _problems(table, errors)
    finals = [f"v.{name}" for name in values]
    resolution_join = ""
    if has_village_reference(list(table.columns)):
        _create_village_resolutions(connection, f"{parsed}_values", resolver)
        finals = [f for f in finals if f != "v.village_code"] + [
            "coalesce(r.resolved_code, v.village_code) as village_code",
            "v.village_code as village_code_reported",
            "r.method as village_resolution",
        ]
        reference = " and ".join(
            f"v.{name} is not distinct from r.{name}" for name in REFERENCE_COLUMNS
        )
        resolution_join = f"left join village_resolutions r on {reference}"
        # a reference without a moo or a subdistrict but with the village's name is matched
        # against the register's names in the warehouse, inside the area it does name
        by_name = "r.area_code is not null and v.village_name_key is not null"
        if "village_name" not in table.by_name:
            by_name = "false"
        finals.append(f"case when {by_name} then r.area_code end as village_area_code")
        problems.append((f"r.reason is not null and not ({by_name})", "village_code", "r.reason"))
    column_case = " ".join(f"when {cond} then '{name}'" for cond, name, _ in problems)
    reason_case = " ".join(f"when {cond} then {reason}" for cond, _, reason in problems)
    connection.execute(
        f"create or replace temp table {parsed} as select v._row_number, {', '.join(finals)}, "
        f"{f'case {column_case} end' if problems else 'null::varchar'} as _problem_column, "
        f"{f'case {reason_case} end' if problems else 'null::varchar'} as _problem_reason "
        f"from {parsed}_values v {resolution_join}"
    )
    connection.execute(f"drop view {parsed}_values")


def _available(connection, prepared: str) -> set[str]:
    names = [row[0] for row in connection.execute(f"describe {prepared}").fetchall()]
    return {name.removeprefix("v_") for name in names if name.startswith("v_")}


def _column_values(connection, prepared, layout, column, cell, number, key, values, errors, joins):
    """Add the output columns of one contract column, and the SQL of its parse error."""
    sql_type = SQL_TYPES[column.type]
    name = column.name
    if column.type == "select_multiple" and layout.options.get(column):
        values[name] = _select_multiple(connection, prepared, layout, column, number, joins)
        return
    if cell is None:
        values[name] = f"null::{sql_type}"
        for extra, extra_type in table_columns([column]).items():
            if extra != name and extra not in REFERENCE_EXTRAS:
                values[extra] = f"null::{extra_type}"
        return
    if column.type in IDENTIFIER_TYPES:
        values[name] = pseudonymize_sql(cell, key, citizen_id=column.type == "citizen_id")
        if column.type == "citizen_id":
            values[validity_column(column)] = _validity_expression(cell)
        return
    if column.type in SQL_TWINS and not _repeats(connection, prepared, cell):
        values[name] = SQL_TWINS[column.type](cell)
        return
    mapping = f"loc_{name}" if column.type == "location" else f"map_{number}"
    scale = layout.scale(column) if column in layout.columns else 1.0
    _join_mapping(connection, prepared, cell, mapping, column, joins, scale)
    errors[name] = f"{mapping}.error"
    if column.type == "location":
        values[name] = f"{mapping}.village_name"
        values[name + "_key"] = f"{mapping}.village_name_key"
        return
    values[name] = f"{mapping}.value"
    if column.type == "number" and scale != 1:
        values[name] = f"round({mapping}.value * {scale}, 2)"
    if column.type == "partial_date":
        values[name + PRECISION_SUFFIX] = f"{mapping}.precision"


def _problems(table: TableContract, errors: dict[str, str]):
    """(condition, column, reason) of every problem a row may have, in contract order."""
    problems: list[tuple[str, str, str]] = []
    for column in table.columns:
        if column.name in errors:
            error = f"v._error_{column.name}"
            problems.append((f"{error} is not null", column.name, error))
        if column.required:
            problems.append(
                (f"v.{column.name} is null", column.name, "'required value is missing'")
            )
        if column.type == "review_status":
            rejected = ", ".join(f"'{s}'" for s in normalize.REJECTED_REVIEW_STATUSES)
            problems.append(
                (
                    f"v.{column.name} in ({rejected})",
                    column.name,
                    f"'submission rejected by its reviewer (' || v.{column.name} || ')'",
                )
            )
    for group in table.required_one_of:
        given = ", ".join(f"cast(v.{name} as varchar)" for name in group)
        problems.append(
            (f"coalesce({given}) is null", group[0], f"'one of {', '.join(group)} is required'")
        )
    return problems


def _validity_expression(cell: str) -> str:
    canonical = normalize.canonical_citizen_id_sql(cell)
    valid = normalize.is_valid_citizen_id_sql(canonical)
    return f"case when nullif({canonical}, '') is null then null else {valid} end"


def _repeats(connection, prepared: str, cell: str) -> bool:
    """Whether a column has few distinct values for its rows (then parse each value once)."""
    distinct, rows = connection.execute(
        f"select approx_count_distinct({cell.removeprefix('s.')}), count(*) from {prepared}"
    ).fetchone()
    return distinct <= max(1000, rows * DISTINCT_SHARE_FOR_MAPPING)


def _join_mapping(
    connection, prepared, cell: str, mapping: str, column: ColumnContract, joins, scale: float
) -> None:
    """Parse a column's distinct values into ``mapping`` and join it back by the raw value."""
    _create_mapping(connection, prepared, cell, mapping, column, scale)
    joins.append(f"left join {mapping} on {cell} = {mapping}.raw")


def _create_mapping(
    connection, prepared: str, cell: str, mapping: str, column: ColumnContract, scale: float
) -> None:
    """Parse each distinct raw value of a column once, with the Python parser of its type
    (dates written the way machines write them by their SQL twin, set-wise). Money is scaled
    to baht as it is parsed, so its range and its ceiling are judged in baht."""
    column_type = column.type
    parser, sql_type = PARSERS[column_type]
    if column_type == "money":
        parser = functools.partial(normalize.parse_money, scale=scale)
    if column.maximum is not None:
        parser = _at_most(parser, column.maximum)
    distinct = (
        f"select distinct {cell.removeprefix('s.')} as raw from {prepared} where _kind = 'data'"
    )
    machine_dates = column_type in ("date", "partial_date")
    if machine_dates:
        connection.execute(
            f"create or replace temp table {mapping}_iso as select raw, "
            f"{normalize.iso_date_sql('raw')} as value from ({distinct})"
        )
        distinct = f"select raw from {mapping}_iso where value is null"
    raws = [r for (r,) in connection.execute(distinct).fetchall()]
    rows = []
    for raw in raws:
        if reason := normalize.spreadsheet_error_reason(raw):  # a failed formula's #DIV/0!
            rows.append((raw, *_parts(column_type, None), reason))
            continue
        try:
            rows.append((raw, *_parts(column_type, parser(raw)), None))
        except ValueError as error:  # a parser's reason never quotes the value it refused
            rows.append((raw, *_parts(column_type, None), str(error)))
    names, types = _mapping_columns(column_type, sql_type)
    frame = pd.DataFrame(rows, columns=["raw", *names, "error"], dtype=object)
    connection.register("parsed_values", frame)
    casts = ", ".join(f"cast({n} as {t}) as {n}" for n, t in zip(names, types, strict=True))
    connection.execute(
        f"create or replace temp table {mapping} as select cast(raw as varchar) as raw, {casts}, "
        "cast(error as varchar) as error from parsed_values"
    )
    connection.unregister("parsed_values")
    if machine_dates:
        precision = ", 'day'" if column_type == "partial_date" else ""
        connection.execute(
            f"insert into {mapping} select raw, value{precision}, null from {mapping}_iso "
            "where value is not null"
        )
        connection.execute(f"drop table {mapping}_iso")


def _at_most(parser, maximum: float):
    """``parser``, refusing a value larger (either way) than a true one can be."""

    def parse(value):
        parsed = parser(value)
        if parsed is not None and abs(parsed) > maximum:
            raise ValueError(f"more than {maximum:,.0f}: beyond what this column can hold")
        return parsed

    return parse


def _mapping_columns(column_type: str, sql_type: str) -> tuple[list[str], list[str]]:
    if column_type == "partial_date":
        return ["value", "precision"], ["date", "varchar"]
    if column_type == "location":
        names = ["village_name", "village_name_key", "moo", "subdistrict", "district", "province"]
        return names, ["varchar", "varchar", "integer", "varchar", "varchar", "varchar"]
    return ["value"], [sql_type]


def _parts(column_type: str, parsed) -> tuple:
    """A parsed value as the mapping table's value columns."""
    if column_type == "partial_date":
        return parsed if parsed is not None else (None, None)
    if column_type == "location":
        if parsed is None:
            return (None,) * 6
        name = parsed.village_name
        return (name, village_name_key(name), parsed.moo, parsed.subdistrict, parsed.district,
                parsed.province)  # fmt: skip
    return (parsed,)


def _select_multiple(connection, prepared, layout, column, number, joins) -> str:
    """An answer exported as one 0/1 column per option ('needs/water'): the options chosen,
    sorted, with the options of the space-separated column beside them when there is one.
    When option labels themselves hold spaces (a labels export), that column cannot be split
    and the 0/1 columns alone say what was chosen."""
    truthy = ", ".join(f"'{t}'" for t in TRUE_ANSWERS)
    options = layout.options[column]
    chosen = [
        f"case when lower(trim(s.c{position})) in ({truthy}) then {sql_string(option)} end"
        for option, position in sorted(options.items())
    ]
    from_options = f"nullif(concat_ws(' ', {', '.join(chosen)}), '')"
    if column not in layout.columns or any(" " in option for option in options):
        return from_options
    mapping = f"map_{number}"
    _join_mapping(connection, prepared, f"s.v_{column.name}", mapping, column, joins, 1.0)
    both = f"string_split(concat_ws(' ', {mapping}.value, {from_options}), ' ')"
    return f"nullif(array_to_string(list_sort(list_distinct({both})), ' '), '')"


def _extra_json(layout: Layout) -> str:
    """Unknown columns, kept as JSON: reported, never silently dropped (but anything that
    looks like a phone number, an ID or a person's name is redacted)."""
    if not layout.unknown:
        return "null::json"
    # One expression over the list of cells, not one per column: DuckDB plans a statement in
    # time quadratic in its count of such expressions (minutes for a few thousand columns).
    headers = ", ".join(sql_string(header) for header in layout.unknown)
    cells = ", ".join(f"s.c{position}" for position in layout.unknown.values())
    value = normalize.redact_personal_sql(normalize.clean_text_sql("cell"))
    return f"to_json(map([{headers}], list_transform([{cells}], cell -> {value})))"


def _create_village_resolutions(connection, values: str, resolver: GeographyResolver) -> None:
    """Resolve each distinct village reference once, into ``village_resolutions``."""
    rows = []
    for raw in connection.execute(
        f"select distinct {', '.join(REFERENCE_COLUMNS)} from {values}"
    ).fetchall():
        reference = dict(zip(REFERENCE_COLUMNS, raw, strict=True))
        resolution = resolver.resolve(
            VillageReference(
                reference["village_code"],
                reference["province_name"],
                reference["district_name"],
                reference["subdistrict_name"],
                reference["moo_no"],
            )
        )
        reason = None
        if not resolution.resolved:
            candidates = ", ".join(resolution.candidates)
            reason = resolution.reason + (f" (candidates: {candidates})" if candidates else "")
        rows.append((*raw, resolution.village_code, resolution.method, reason,
                     resolution.area_code))  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=[*REFERENCE_COLUMNS, "resolved_code", "method", "reason", "area_code"],
        dtype=object,
    )
    connection.register("resolutions", frame)
    connection.execute(
        "create or replace temp table village_resolutions as select "
        "cast(village_code as varchar) as village_code, cast(province_name as varchar) as "
        "province_name, cast(district_name as varchar) as district_name, "
        "cast(subdistrict_name as varchar) as subdistrict_name, cast(moo_no as integer) as moo_no, "
        "cast(resolved_code as varchar) as resolved_code, cast(method as varchar) as method, "
        "cast(reason as varchar) as reason, cast(area_code as varchar) as area_code "
        "from resolutions"
    )
    connection.unregister("resolutions")
