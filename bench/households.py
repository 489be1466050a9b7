"""Household surveys at scale, written by DuckDB: ODK CSV exports (households, and members in
their own file linked by PARENT_KEY) of any size in seconds, with the columns and the answers
of the sample generator's ODK rounds (sources/sample/generate.py): valid citizen IDs but 2 %
with a wrong check digit, one household in 997 in an unknown village, whole-minute device
times, 'today' for half. Deterministic: a row's answers are hashes of its number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from sources.sample.generate import (
    EDUCATION,
    FIRST_NAMES,
    FOLLOW_UP_START,
    LAST_NAMES,
    MONEY_ANSWERS,
    OCCUPATIONS,
    ODK_HOUSEHOLD_HEADERS,
    ODK_MEMBER_HEADERS,
    PROBLEMS,
    UNKNOWN_VILLAGE_CODE,
    Village,
)
from sources.sql import sql_string

MONEY_STEPS = {  # (lowest, steps of 500) of each money answer, as the sample draws them
    "income_agriculture": (0, 240),
    "income_wage": (0, 160),
    "income_other": (0, 40),
    "household_cost": (20_000, 260),
    "debt_total": (0, 240),
}


def _pick(values: list[str], salt: str, of: str = "n") -> str:
    """One of ``values``, by a hash of the row."""
    listed = ", ".join(sql_string(value) for value in values)
    return f"[{listed}][cast(1 + hash({of}, {sql_string(salt)}) % {len(values)} as bigint)]"


def _citizen_id(salt: str, of: str = "n") -> str:
    """A 13-digit citizen ID with its check digit, wrong in 2 % of rows."""
    twelve = f"lpad(cast(1 + hash({of}, {sql_string(salt)}) % 899999999999 as varchar), 12, '1')"
    check = (
        f"(11 - list_sum([cast(substr({twelve}, k, 1) as integer) * (14 - k) "
        "for k in range(1, 13)]) % 11) % 10"
    )
    wrong = f"hash({of}, {sql_string(salt + 'typo')}) % 50 = 0"
    return f"{twelve} || cast(({check} + case when {wrong} then 1 else 0 end) % 10 as varchar)"


def write_round(
    connection: duckdb.DuckDBPyConnection,
    villages: list[Village],
    path: Path,
    households: int,
    first: int = 0,
    fiscal_year_be: int = 2564,
) -> tuple[Path, Path]:
    """Households ``first`` .. ``first + households - 1`` of a follow-up round as an ODK export:
    ``path`` and its ``-members.csv``. Returns both paths."""
    start = FOLLOW_UP_START[fiscal_year_be]
    codes = ", ".join(sql_string(v.code) for v in villages)
    connection.execute(
        f"""
        create or replace temp table generated_households as
        select
            n,
            'uuid:' || md5(cast(n as varchar) || 'household') as submission_key,
            case when n % 997 = 500 then {sql_string(UNKNOWN_VILLAGE_CODE)}
                 else [{codes}][1 + n % {len(villages)}] end as village_code,
            date '{start.isoformat()}' + cast(hash(n, 'day') % 121 as integer) as surveyed,
            cast(hash(n, 'minute') % 480 as integer) as start_minute,
            1 + cast(hash(n, 'size') % 7 as integer) as members_count
        from range({first}, {first + households}) as t(n)
        """
    )
    device_time = "strftime(timestamp '2000-01-01' + to_minutes({m}), '%H:%M') || ':00.000+07:00'"
    at_seven = "cast(7 * 60 + start_minute{plus} as bigint)"
    money = [
        f"{low} + 500 * (hash(n, '{name}') % {steps})" for name, (low, steps) in MONEY_STEPS.items()
    ]
    assert tuple(MONEY_STEPS) == MONEY_ANSWERS
    problems = [f"cast(hash(n, '{p}') % 5 = 0 as integer)" for p in PROBLEMS]
    household_columns = [
        "strftime(surveyed, '%Y-%m-%d') || 'T09:00:00.000Z'",
        "strftime(surveyed, '%Y-%m-%d') || 'T' || "
        + device_time.format(m=at_seven.format(plus="")),
        "strftime(surveyed, '%Y-%m-%d') || 'T' || "
        + device_time.format(m=at_seven.format(plus=" + 12 + hash(n, 'length') % 44")),
        "case when hash(n, 'today') % 2 = 0 then strftime(surveyed, '%Y-%m-%d') end",
        "village_code",
        f"{_pick(FIRST_NAMES, 'first')} || ' ' || {_pick(LAST_NAMES, 'last')}",
        _citizen_id("head"),
        "members_count",
        *money,
        *problems,
        "case when hash(n, 'drug') % 100 < 6 then 'yes' else 'no' end",
        "submission_key",
        "submission_key",
    ]
    assert len(household_columns) == len(ODK_HOUSEHOLD_HEADERS)
    named = ", ".join(
        f"{column} as {sql_string(header).replace(chr(39), chr(34))}"
        for column, header in zip(household_columns, ODK_HOUSEHOLD_HEADERS, strict=True)
    )
    connection.execute(
        f"copy (select {named} from generated_households order by n) to '{path}' (header)"
    )
    born = "date '1940-01-01' + cast(hash(m, 'born') % 28400 as integer)"
    member_columns = [
        f"{_pick(FIRST_NAMES, 'member first', 'm')} || ' ' || "
        f"{_pick(LAST_NAMES, 'member last', 'm')}",
        _citizen_id("member", "m"),
        _pick(["ชาย", "หญิง"], "sex", "m"),
        f"case when hash(m, 'year only') % 4 = 0 then cast(year({born}) + 543 as varchar) "
        f"else strftime({born}, '%Y-%m-%d') end",
        _pick(EDUCATION, "education", "m"),
        _pick(OCCUPATIONS, "occupation", "m"),
        "submission_key",
        "submission_key || '/member[' || member || ']'",
    ]
    named = ", ".join(
        f"{column} as {sql_string(header).replace(chr(39), chr(34))}"
        for column, header in zip(member_columns, ODK_MEMBER_HEADERS, strict=True)
    )
    members_path = path.with_name(f"{path.stem}-members.csv")
    connection.execute(
        f"""
        copy (
            select {named}
            from (
                select *, n * 8 + member as m
                from generated_households, range(1, members_count + 1) as r(member)
            )
            order by n, member
        ) to '{members_path}' (header)
        """
    )
    connection.execute("drop table generated_households")
    return path, members_path


def write_rounds(
    villages: list[Village], folder: Path, households: int, per_file: int
) -> list[Path]:
    """``households`` in files of at most ``per_file`` households (as rounds arrive, per
    province or per district), numbered on; returns every file written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect() as connection:
        for number, first in enumerate(range(0, households, per_file)):
            path = folder / f"roijai_followup_2564_odk_{number:03d}.csv"
            count = min(per_file, households - first)
            written += write_round(connection, villages, path, count, first)
    return written


if __name__ == "__main__":  # a quick look: python -m bench.households <folder> <households>
    import random
    import sys

    from sources.programme_seeds import phase_targets
    from sources.sample.generate import build_villages

    started = dt.datetime.now()
    villages = build_villages(random.Random(2562), phase_targets())
    files = write_rounds(villages, Path(sys.argv[1]), int(sys.argv[2]), 1_000_000)
    print(files, dt.datetime.now() - started)
