"""The SQL twins of the Python rules give the same answers, so each rule has one meaning.

Every twin, Python beside SQL: text cleaning, ISO dates, submission keys, identifiers and the
citizen-ID checksum, pseudonyms, redaction (sources/normalize.py and sources/pseudonymize.py
with their *_sql twins, used at ingest); and the rules dbt macros hold in SQL: the yes answers
(is_yes_answer vs TRUE_ANSWERS), money to the satang (money vs parse_money), the day in
Asia/Bangkok (bangkok_date vs PROGRAMME_TIMEZONE) and the evaluation date (as_of_date vs
evaluation_date). The macros are compiled by dbt itself, not copied into the test.
"""

import datetime as dt
import os
import random
import re
import subprocess
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from orchestration.dbt_project import DBT_EXECUTABLE
from sources.normalize import (
    MONEY_TYPE,
    canonical_citizen_id,
    canonical_citizen_id_sql,
    canonical_identifier,
    canonical_identifier_sql,
    citizen_id_check_digit,
    clean_text,
    clean_text_sql,
    is_valid_citizen_id,
    is_valid_citizen_id_sql,
    iso_date_sql,
    looks_personal,
    parse_date,
    parse_money,
    parse_submission_key,
    parse_submission_key_sql,
    redact_personal_sql,
    spreadsheet_error_reason,
    spreadsheet_error_reason_sql,
)
from sources.pseudonymize import pseudonymize, pseudonymize_sql
from sources.settings import PROGRAMME_TIMEZONE, REPO_ROOT, evaluation_date
from sources.transform import TRUE_ANSWERS
from tests.helpers import per_person_amounts

TEXTS = ["  a\u00a0 b\u200b ", "กำ", "x\n\ty", "", " ", None, "๑๒๓-๔๕", "ห\u0e49\u0e33",
         "\ufeffบ้าน\u3000ป่าซาง", "A  B\u2003C", "a\x00b\x1bc\x7fd\x85e", "\x00"]  # fmt: skip


def evaluate(expression: str, values: list) -> list:
    frame = pd.DataFrame({"v": values}, dtype=object)
    with duckdb.connect() as connection:
        connection.register("input_values", frame)
        return [
            r for (r,) in connection.execute(f"select {expression} from input_values").fetchall()
        ]


def identifiers(count=3000, seed=1):
    rng = random.Random(seed)
    values = []
    for _ in range(count):
        digits = "".join(str(rng.randint(0, 9)) for _ in range(13))
        if rng.random() < 0.5:
            digits = digits[:12] + str(citizen_id_check_digit(digits[:12]))
        values.append(digits)
    return [*values, "1-2345-67890-12-1", "๑๒๓๔๕๖๗๘๙๐๑๒๓", "12345", "", "abc", None]


def test_clean_text():
    assert evaluate(clean_text_sql("v"), TEXTS) == [clean_text(v) for v in TEXTS]


def test_spreadsheet_error_values():
    values = ["#DIV/0!", " #ref! ", "#N/A", "Err:502", "Err:5020", "#5 ฝาย", "#NAME?x", "N/A",
              "1,000", "", None, "#VALUE!", "#SPILL!"]  # fmt: skip
    expected = [spreadsheet_error_reason(v) for v in values]
    assert evaluate(spreadsheet_error_reason_sql("v"), values) == expected
    assert [v for v, reason in zip(values, expected, strict=True) if reason] == [
        "#DIV/0!", " #ref! ", "#N/A", "Err:502", "#VALUE!", "#SPILL!"
    ]  # fmt: skip


def test_iso_dates_read_in_sql_are_read_as_in_python():
    values = ["2019-12-01", "2019-12-01T06:05:12.732+07:00", "2020-12-02 10:50:03", " 2021-02-28 ",
              "2021-02-30", "2563-01-15", "1899-12-31", "2101-01-01", "15/01/2563", "2020-1-5",
              "๒๐๒๐-๐๑-๐๕", "", None, "abc"]  # fmt: skip
    fast = evaluate(iso_date_sql("v"), values)
    assert fast[:4] == [dt.date(2019, 12, 1), dt.date(2019, 12, 1), dt.date(2020, 12, 2),
                        dt.date(2021, 2, 28)]  # fmt: skip
    for value, date in zip(values, fast, strict=True):
        if date is not None:
            assert parse_date(value) == date, value  # a value read in SQL means the same


def test_submission_key():
    keys = [*TEXTS, "uuid:7DCD9942-b4fb", "UUID:abc", "abc-uuid:x", " uuid:a/members[2] "]
    assert evaluate(parse_submission_key_sql("v"), keys) == [parse_submission_key(v) for v in keys]


def test_canonical_identifier():
    values = identifiers(50)
    expected = [canonical_identifier(v) if v is not None else None for v in values]
    assert evaluate(canonical_identifier_sql("v"), values) == expected


def test_canonical_citizen_id_puts_back_lost_leading_zeros():
    values = [*identifiers(50), "164438569388", "64438569388", "1644385693", "๑๖๔๔๓๘๕๖๙๓๘๘"]
    expected = [canonical_citizen_id(v) if v is not None else None for v in values]
    assert evaluate(canonical_citizen_id_sql("v"), values) == expected
    assert canonical_citizen_id("164438569388") == "0164438569388"
    assert canonical_citizen_id("1644385693") == "1644385693"  # too short to be an ID


def test_citizen_id_checksum():
    values = [v for v in identifiers() if v is not None] + ["164438569388"]
    sql = is_valid_citizen_id_sql(canonical_citizen_id_sql("v"))
    assert evaluate(sql, values) == [is_valid_citizen_id(v) for v in values]


@pytest.mark.parametrize("key", [b"k", b"a-longer-key-" * 10])  # short and longer than a block
def test_pseudonymize(key):
    values = identifiers(200)
    assert evaluate(pseudonymize_sql("v", key), values) == [pseudonymize(v, key) for v in values]
    assert evaluate(pseudonymize_sql("v", key, citizen_id=True), values) == [
        pseudonymize(v, key, citizen_id=True) for v in values
    ]


def test_redact_personal():
    values = ["081-234-5678", "0812345678", "(053) 123 456", "๐๘๑๒๓๔๕๖๗๘", "3100501234567",
              "นายอนุชา (ผู้ประสาน)", " น.ส.สมศรี ใจดี", "ด.ญ. มาลี", "Mr. Somchai", "MRS Jones",
              "2020-01-15", "15/01/2563", "1,250,000", "ok", "12345678", "ม. 5", "นา ข้าว",
              "นาง", "นายก อบต.", None]  # fmt: skip
    expected = [("[redacted]" if looks_personal(v) else v) for v in values]
    assert expected[:11] == ["[redacted]"] * 10 + ["2020-01-15"]
    assert evaluate(redact_personal_sql("v"), values) == expected


def test_yes_answers_are_the_same_in_the_dbt_macro_and_in_python():
    """macros/is_yes_answer.sql (dbt) and TRUE_ANSWERS (the 0/1 option columns at ingest)."""
    macro = (REPO_ROOT / "dbt_project" / "macros" / "is_yes_answer.sql").read_text(encoding="utf-8")
    (body,) = re.findall(r"-%\}\s*(.+?)\s*\{%-", macro, flags=re.DOTALL)
    assert tuple(re.findall(r"'([^']*)'", body)) == TRUE_ANSWERS
    answers = [*TRUE_ANSWERS, " YES ", "True", "มี ", "0", "no", "ไม่ใช่", "ไม่มี", "2", "", None]
    expected = [None if a is None else a.strip().lower() in TRUE_ANSWERS for a in answers]
    assert evaluate(body.replace("{{ answer }}", "v"), answers) == expected


MACRO_CALLS = {
    "money": "{{ money('amount') }}",
    "money_per": "{{ money_per('amount', 'people') }}",
    "bangkok_date": "{{ bangkok_date('v') }}",
    "as_of_date": "{{ as_of_date() }}",
}
SEPARATOR = "-- next macro"


@pytest.fixture(scope="module")
def compiled_macros(tmp_path_factory) -> dict[str, str]:
    """Each macro call as dbt compiles it for this project's DuckDB target."""
    work = tmp_path_factory.mktemp("dbt_compile")
    inline = f"\n{SEPARATOR}\n".join(f"select {call} as v" for call in MACRO_CALLS.values())
    compiled = subprocess.run(
        [str(DBT_EXECUTABLE), "compile", "--quiet", "--target-path", str(work / "target"),
         "--inline", inline],
        cwd=REPO_ROOT / "dbt_project",
        env={**os.environ, "ROIJAI_DUCKDB_PATH": str(work / "compile.duckdb"),
             "ROIJAI_AS_OF": ""},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    statements = [part.strip() for part in compiled.split(SEPARATOR)]
    assert len(statements) == len(MACRO_CALLS), compiled
    return {
        name: statement.removeprefix("select").removesuffix("as v").strip()
        for name, statement in zip(MACRO_CALLS, statements, strict=True)
    }


def test_money_is_rounded_to_the_satang_the_same_way_in_dbt_and_at_ingest(compiled_macros):
    amounts = ["1.005", "2.675", "-0.125", "-7.995", "1234567.894", "0.004", "99", "-0"]
    with duckdb.connect() as connection:
        for amount in amounts:
            exact = f"cast('{amount}' as decimal(38,3))"
            expression = compiled_macros["money"].replace("amount", exact)
            value, sql_type = connection.execute(
                f"select {expression}, typeof({expression})"
            ).fetchone()
            assert value == parse_money(amount), amount
            assert sql_type == MONEY_TYPE.upper()
    assert parse_money("1.005") == Decimal("1.01")


def test_amounts_per_person_are_what_the_cast_of_the_quotient_gave(compiled_macros):
    """money_per rounds the quotient with round() so that Spark rounds as DuckDB does; on
    DuckDB it gives exactly what the plain cast gave before, so the marts are unchanged."""
    with duckdb.connect() as connection:
        for amount, people in per_person_amounts():
            expression = (
                compiled_macros["money_per"]
                .replace("amount", f"cast('{amount}' as decimal(18, 2))")
                .replace("people", str(people))
            )
            quotient = f"cast(cast('{amount}' as decimal(18, 2)) as double) / nullif({people}, 0)"
            value, cast_before = connection.execute(
                f"select {expression}, cast({quotient} as decimal(18, 2))"
            ).fetchone()
            assert value == cast_before, (amount, people)


def test_bangkok_days_are_the_same_in_dbt_and_in_python(compiled_macros):
    instants = [
        dt.datetime(2020, 1, 14, 16, 59, 59),
        dt.datetime(2020, 1, 14, 17, 0),
        dt.datetime(2021, 9, 30, 23, 30),
        dt.datetime(2024, 2, 28, 17, 0),
        None,
    ]
    expected = [
        None if t is None else t.replace(tzinfo=dt.UTC).astimezone(PROGRAMME_TIMEZONE).date()
        for t in instants
    ]
    assert evaluate(compiled_macros["bangkok_date"], instants) == expected


def test_the_evaluation_date_is_the_same_in_dbt_and_in_python(compiled_macros, monkeypatch):
    monkeypatch.delenv("ROIJAI_AS_OF", raising=False)
    assert evaluate(compiled_macros["as_of_date"], [None]) == [evaluation_date()]
