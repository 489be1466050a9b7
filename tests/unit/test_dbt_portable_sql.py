"""The dbt project stays portable to Spark (docs/scale-out.md): no construct that one engine
lacks or reads otherwise, outside the duckdb__ implementation of an adapter.dispatch macro; no
double-quoted identifier (a string literal on Spark); contract and seed types in names both
engines know. Reads the project's files only; the build on Spark itself is
tests/e2e/test_spark_marts.py."""

import re
from pathlib import Path

import pytest
import yaml

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
SQL_FILES = sorted(
    path
    for folder in ("models", "macros", "tests")
    for path in (DBT_PROJECT / folder).rglob("*.sql")
)
# What fails or differs on Spark (../shared/STACK.md, "Keeping the dbt models portable").
DUCKDB_ONLY = {
    "a :: cast": r"::",
    "// (integer division)": r"//",
    "list()": r"\blist\s*\(",
    "regexp_matches()": r"\bregexp_matches\s*\(",
    "strftime()/strptime()": r"(?<![.\w])str[fp]time\s*\(",
    "date_diff()": r"\bdate_diff\s*\(",
    "exclude (...)": r"\bexclude\s*\(",
    "unnest()": r"\bunnest\s*\(",
    "sha256()": r"\bsha256\s*\(",
    "a JSON function or arrow": r"\bjson_\w+\s*\(|->>?",
    "a DuckDB-only type": r"\b(varchar|hugeint|ubigint|uinteger|usmallint|utinyint)\b",
}
PORTABLE_TYPES = {
    "string", "integer", "bigint", "double", "boolean", "date", "timestamp", "decimal(18,2)"
}  # fmt: skip
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
BRACED = re.compile(r"\{[^{}]*\}")  # innermost first: Jinja tags nest (a config's hooks)
SQL_COMMENT = re.compile(r"--[^\n]*")
DUCKDB_MACRO = re.compile(r"\{%-?\s*macro\s+duckdb__.*?\{%-?\s*endmacro\s*-?%\}", re.DOTALL)


def without_jinja(text: str) -> str:
    while True:
        text, removed = BRACED.subn("", text)
        if not removed:
            return text


def sql_text(path: Path) -> str:
    """The file without comments and without its duckdb__ macros."""
    text = JINJA_COMMENT.sub("", path.read_text(encoding="utf-8"))
    return SQL_COMMENT.sub("", DUCKDB_MACRO.sub("", text))


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(DBT_PROJECT)))
def test_no_construct_only_duckdb_reads(path):
    text = sql_text(path)
    found = [name for name, pattern in DUCKDB_ONLY.items() if re.search(pattern, text, re.I)]
    assert not found, f"{path.name}: {found}; put it behind an adapter.dispatch macro"


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(DBT_PROJECT)))
def test_no_double_quoted_identifier(path):
    lines = without_jinja(sql_text(path)).splitlines()
    quoted = [line.strip() for line in lines if '"' in re.sub(r"'[^']*'", "", line)]
    assert not quoted, f"{path.name}: a double-quoted identifier is a string on Spark: {quoted}"


def declared_types() -> list[tuple[str, str]]:
    """(where, type) for every contract column type of the models and seed column type."""
    types = []
    for path in sorted((DBT_PROJECT / "models").rglob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            for column in model.get("columns", []):
                if "data_type" in column:
                    types.append((f"{model['name']}.{column['name']}", column["data_type"]))
    seeds = yaml.safe_load((DBT_PROJECT / "seeds" / "_seeds.yml").read_text(encoding="utf-8"))
    for seed in seeds["seeds"]:
        for column, sql_type in seed.get("config", {}).get("column_types", {}).items():
            types.append((f"{seed['name']}.{column}", sql_type))
    return types


def test_declared_types_are_named_as_both_engines_name_them():
    types = declared_types()
    assert len(types) > 100  # every contract column of the marts, and the seeds'
    others = [(where, sql_type) for where, sql_type in types if sql_type not in PORTABLE_TYPES]
    assert not others, f"types DuckDB or Spark reads otherwise: {others}"
