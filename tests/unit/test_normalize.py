import datetime as dt
from decimal import Decimal

import pytest

from sources.normalize import (
    citizen_id_check_digit,
    clean_place_name,
    is_valid_citizen_id,
    normalize_code,
    parse_date,
    parse_fiscal_year,
    parse_integer,
    parse_money,
    parse_moo,
    parse_number,
    parse_phase,
    thai_digits_to_arabic,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/02/2563", dt.date(2020, 2, 29)),  # B.E. leap day: valid once converted to C.E.
        ("๕ ม.ค. ๖๓", dt.date(2020, 1, 5)),
        ("5 ม.ค. 63", dt.date(2020, 1, 5)),
        ("1 ธันวาคม 2562", dt.date(2019, 12, 1)),
        ("15 มีนาคม พ.ศ. 2564", dt.date(2021, 3, 15)),
        ("5/1/63", dt.date(2020, 1, 5)),
        ("05-01-2020", dt.date(2020, 1, 5)),
        ("2020-01-05", dt.date(2020, 1, 5)),  # a real Excel date, as the reader renders it
        ("2563-01-05", dt.date(2020, 1, 5)),  # ISO layout with a B.E. year
        ("43835", dt.date(2020, 1, 5)),  # an Excel serial
        ("43835.5", dt.date(2020, 1, 5)),
        (None, None),
        ("", None),
        ("-", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["29/02/2564", "31/04/2563", "32 ม.ค. 63", "ม.ค.", "tomorrow"])
def test_parse_date_rejects_impossible_dates(text):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text)


def test_parse_date_rejects_implausible_years():
    with pytest.raises(ValueError, match="implausible"):
        parse_date("01/01/3106")  # B.E. converted twice
    with pytest.raises(ValueError, match="implausible"):
        parse_date("01/01/2019", earliest=dt.date(2019, 10, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,250,000", 1_250_000.0),
        ("1,250,000 บาท", 1_250_000.0),
        ("๑,๒๕๐", 1_250.0),
        ("(5,000)", -5_000.0),
        ("12.50", 12.5),
        ("-", 0.0),  # how Thai accounts write zero
        ("—", 0.0),
        ("n/a", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_parse_number_rejects_words():
    with pytest.raises(ValueError, match="not a number"):
        parse_number("ห้าพัน")


@pytest.mark.parametrize(
    ("text", "scale", "expected"),
    [
        ("1,250,000 บาท", 1, Decimal("1250000.00")),
        ("๑,๒๕๐.๕", 1, Decimal("1250.50")),
        ("(5,000)", 1, Decimal("-5000.00")),
        ("0.1", 1, Decimal("0.10")),  # exactly, not the float nearest to it
        ("1.005", 1, Decimal("1.01")),  # to the satang, half away from zero
        ("1.25", 1000, Decimal("1250.00")),  # a header in thousands of baht ('(พันบาท)')
        ("2.5", 1_000_000, Decimal("2500000.00")),
        ("1e15", 1, Decimal("1000000000000000.00")),  # large, but what decimal(18,2) holds
        ("-", 1, Decimal("0.00")),
        ("n/a", 1, None),
        (None, 1, None),
    ],
)
def test_parse_money_is_exact_to_the_satang(text, scale, expected):
    assert parse_money(text, scale) == expected


@pytest.mark.parametrize(
    ("text", "scale", "reason"),
    [
        ("inf", 1, "not a finite amount"),
        ("-Infinity", 1, "not a finite amount"),
        ("nan", 1, "not a finite amount"),
        ("9" * 40, 1, "beyond any budget"),
        ("1e16", 1, "beyond any budget"),
        ("20,000,000,000", 1_000_000, "beyond any budget"),  # in baht once its unit is applied
        ("ห้าพัน", 1, "not an amount of money"),
    ],
)
def test_parse_money_refuses_what_no_budget_is(text, scale, reason):
    with pytest.raises(ValueError, match=reason):
        parse_money(text, scale)


def test_parse_integer_rejects_fractions():
    assert parse_integer("7.0") == 7
    with pytest.raises(ValueError, match="whole number"):
        parse_integer("7.5")


def test_thai_digits():
    assert thai_digits_to_arabic("ม.๕ ปี ๒๕๖๓") == "ม.5 ปี 2563"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("50100302", "50100302"), ("50100302.0", "50100302"), ("๕๐๑๐๐๓๐๒", "50100302"),
     ("5010-0302", "50100302"), ("1020304", "01020304")],
)  # fmt: skip
def test_normalize_code(text, expected):
    assert normalize_code(text, 8) == expected


def test_normalize_code_rejects_wrong_length_and_letters():
    for text in ["501003021", "5010030X"]:
        with pytest.raises(ValueError, match="8-digit code"):
            normalize_code(text, 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2563", 2563),
        ("พ.ศ. 2563", 2563),
        ("63", 2563),
        ("2020", 2563),
        ("ปีงบประมาณ พ.ศ. 2564", 2564),
        ("2564 (ต่อเนื่อง)", 2564),
    ],
)
def test_parse_fiscal_year(text, expected):
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), ("ระยะที่ 2", 2), ("ระยะ ๒", 2), ("II", 2), ("Phase I", 1), ("ระยะที่ 1 (ปี 2563)", 1)],
)
def test_parse_phase(text, expected):
    assert parse_phase(text) == expected


def test_parse_phase_rejects_other_phases():
    with pytest.raises(ValueError, match="not a phase"):
        parse_phase("3")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        ("ม.5", 5),
        ("ม. ๕", 5),
        ("หมู่ที่ 12", 12),
        ("Moo 3", 3),
        ("05", 5),
        ("7.0", 7),
        ("หมู่ที่ 5 (บ้านใหม่)", 5),
    ],
)
def test_parse_moo(text, expected):
    assert parse_moo(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("จ.เชียงราย", "เชียงราย"), ("อำเภอแม่สาย", "แม่สาย"), ("ต.เวียง", "เวียง"),
     ("บ้านห้วยน้ำขุ่น", "ห้วยน้ำขุ่น"), ("บ.ป่าซาง", "ป่าซาง"), (" แม่อาย ", "แม่อาย")],
)  # fmt: skip
def test_clean_place_name(text, expected):
    assert clean_place_name(text) == expected


def test_citizen_id_checksum():
    first_twelve = "110170020345"
    check = citizen_id_check_digit(first_twelve)
    assert is_valid_citizen_id(first_twelve + str(check))
    assert is_valid_citizen_id(f"1-1017-00203-45-{check}")
    assert not is_valid_citizen_id(first_twelve + str((check + 1) % 10))
    assert not is_valid_citizen_id("12345")
    assert not is_valid_citizen_id(None)
