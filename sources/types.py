"""The types a contract column can have: how a cell's text is parsed, and the SQL type it gets.

Each parser takes a cell's text (or None) and returns a value or None, or raises ValueError with
a short reason (see ``sources.normalize``). Two types give more than one value: a
``partial_date`` keeps its precision beside it, and a ``location`` (one free-text place, or a
village name that carries its moo) gives the parts that fill the row's other place columns.
Identifiers (``pseudonym``, ``citizen_id``) are never parsed in Python: they are hashed in SQL.
"""

from __future__ import annotations

from collections.abc import Callable

from sources import normalize
from sources.agencies import canonical_agency_name
from sources.location import parse_location

PARSERS: dict[str, tuple[Callable[[str | None], object], str]] = {
    "text": (normalize.clean_text, "varchar"),
    "select_multiple": (normalize.parse_options, "varchar"),
    "code8": (lambda value: normalize.normalize_code(value, 8), "varchar"),
    "integer": (normalize.parse_integer, "bigint"),
    "number": (normalize.parse_number, "double"),
    "money": (normalize.parse_money, normalize.MONEY_TYPE),
    "date": (normalize.parse_date, "date"),
    "partial_date": (normalize.parse_partial_date, "date"),
    "moo": (normalize.parse_moo, "integer"),
    "phase": (normalize.parse_phase, "integer"),
    "fiscal_year": (normalize.parse_fiscal_year, "integer"),
    "review_status": (normalize.parse_review_status, "varchar"),
    "submission_key": (normalize.parse_submission_key, "varchar"),
    "sex": (normalize.parse_sex, "varchar"),
    "agency": (canonical_agency_name, "varchar"),
    "location": (parse_location, "varchar"),
}
IDENTIFIER_TYPES = ("pseudonym", "citizen_id")
SQL_TYPES = {name: sql_type for name, (_, sql_type) in PARSERS.items()} | dict.fromkeys(
    IDENTIFIER_TYPES, "varchar"
)
# Types whose parse says something beyond "a value of this kind": a value check on a header's
# column only counts them when they fail (see sources.layout).
FREE_TYPES = (
    "text",
    "select_multiple",
    "location",
    "agency",
    "sex",
    "review_status",
    "submission_key",
)
# Types whose columns a sheet's totals row sums (its control totals).
AMOUNT_TYPES = ("number", "money")
# Types that name something: a column of bare numbers is not one of them.
NAME_TYPES = ("location", "agency")
PRECISION_SUFFIX = "_precision"
