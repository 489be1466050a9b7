"""Normalizers for the realities of Thai government files, one function per reality.

Every function takes the text a reader produced (or None) and returns a clean value or None.
A value that is present but cannot be understood raises ``ValueError`` with a short reason, so
the caller can name the file, sheet, row and column it came from.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BUDDHIST_ERA_OFFSET = 543
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (it counts 1900 as a leap year)

THAI_MONTHS: dict[str, int] = {}
for _number, (_full, _abbr) in enumerate(
    [
        ("มกราคม", "ม.ค."),
        ("กุมภาพันธ์", "ก.พ."),
        ("มีนาคม", "มี.ค."),
        ("เมษายน", "เม.ย."),
        ("พฤษภาคม", "พ.ค."),
        ("มิถุนายน", "มิ.ย."),
        ("กรกฎาคม", "ก.ค."),
        ("สิงหาคม", "ส.ค."),
        ("กันยายน", "ก.ย."),
        ("ตุลาคม", "ต.ค."),
        ("พฤศจิกายน", "พ.ย."),
        ("ธันวาคม", "ธ.ค."),
    ],
    start=1,
):
    THAI_MONTHS[_full] = _number
    THAI_MONTHS[_abbr] = _number
    THAI_MONTHS[_abbr.replace(".", "")] = _number


# One definition of whitespace for Python and for DuckDB's regular expressions (literal
# characters, so both engines read the class the same way).
WHITESPACE = (
    " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u202f\u205f\u3000"
)
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
# Control characters (NUL, escape, DEL, C1), as regular-expression escapes both engines read:
# never text anyone typed, and NUL cuts strings short in C readers of an export.
CONTROL_CHARACTERS = r"\x00-\x08\x0e-\x1f\x7f-\x9f"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_WHITESPACE_RUN = re.compile(f"[{WHITESPACE}]+")
_DROPPED = re.compile(f"[{ZERO_WIDTH}{CONTROL_CHARACTERS}]")
_THAI_DIGITS = str.maketrans(THAI_DIGITS, "0123456789")


def clean_text(value: str | None) -> str | None:
    """NFC-normalise, drop zero-width and control characters, collapse whitespace runs to one
    space."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", _DROPPED.sub("", str(value)))  # as in SQL: drop first
    return _WHITESPACE_RUN.sub(" ", text).strip(" ") or None


def clean_text_sql(expression: str) -> str:
    """``clean_text`` as a DuckDB expression, for set-wise use on staged columns."""
    # controls go first: DuckDB's nfc_normalize stops at a NUL
    characters = f"[{ZERO_WIDTH}{CONTROL_CHARACTERS}]"
    dropped = f"nfc_normalize(regexp_replace({expression}, '{characters}', '', 'g'))"
    return f"nullif(trim(regexp_replace({dropped}, '[{WHITESPACE}]+', ' ', 'g')), '')"


# What a spreadsheet shows in a cell whose formula failed: Excel's error values (#DIV/0!, ...)
# and LibreOffice's (Err:502). Such a cell holds no value, and saying so beats reading it as
# blank or as a missing value.
SPREADSHEET_ERRORS = (
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
)  # fmt: skip


LIBREOFFICE_ERROR = "Err:[0-9]{3}"  # a regular expression both engines read
_LIBREOFFICE_ERROR = re.compile(LIBREOFFICE_ERROR)


def spreadsheet_error_reason(value: str | None) -> str | None:
    """Why a cell holds no value when it shows a spreadsheet's error value, else None. The
    error value itself is safe to name (it is no one's data)."""
    if value is None or ("#" not in value and "Err:" not in value):
        return None
    text = value.strip()
    if text.upper() in SPREADSHEET_ERRORS or _LIBREOFFICE_ERROR.fullmatch(text):
        return f"a spreadsheet error value ({text}), not a value"
    return None


def spreadsheet_error_reason_sql(expression: str) -> str:
    """``spreadsheet_error_reason`` as a DuckDB expression."""
    errors = ", ".join(f"'{error}'" for error in SPREADSHEET_ERRORS)
    text = f"trim({expression})"
    # the cheap test first: nearly no cell holds '#' or 'Err:', and only those are looked at
    maybe = f"(contains({expression}, '#') or contains({expression}, 'Err:'))"
    exact = f"(upper({text}) in ({errors}) or regexp_full_match({text}, '{LIBREOFFICE_ERROR}'))"
    reason = f"'a spreadsheet error value (' || {text} || '), not a value'"
    return f"case when {maybe} and {exact} then {reason} end"


def parse_options(value: str | None) -> str | None:
    """A select-multiple answer as its options: distinct, sorted, space-separated."""
    text = clean_text(value)
    return " ".join(sorted(set(text.split(" ")))) if text else None


def parse_submission_key(value: str | None) -> str | None:
    """A survey submission's key as KoboToolbox and ODK share it: the instance UUID without
    ODK's 'uuid:' prefix, lower case ('uuid:7DCD...' and '7dcd...' are one submission)."""
    text = clean_text(value)
    if text is None:
        return None
    return re.sub(r"^uuid:", "", text, flags=re.IGNORECASE).lower()


def parse_submission_key_sql(expression: str) -> str:
    """``parse_submission_key`` as a DuckDB expression."""
    return f"lower(regexp_replace({clean_text_sql(expression)}, '^uuid:', '', 'i'))"


def thai_digits_to_arabic(value: str | None) -> str | None:
    """Replace Thai digits (๐-๙) by ASCII digits; leave everything else as it is."""
    return None if value is None else value.translate(_THAI_DIGITS)


_NUMBER_NOISE = re.compile(r"(บาท|baht|thb|฿|,|\s)", re.IGNORECASE)
_BLANK_NUMBERS = {"", "-", "–", "—", "n/a", "na", "ไม่มี"}
_ZERO_DASHES = {"-", "–", "—"}  # how Thai accounts write zero


def _amount_text(value: str | None) -> str | None:
    """An amount's digits as text ('-1234.5'): commas, 'บาท', Thai digits, '-' for zero (as
    accounts write it), '(1,000)' for negatives; None for a blank or 'n/a'."""
    if value is not None and value.isascii() and value.isdigit():  # most cells: plain digits
        return value
    text = clean_text(thai_digits_to_arabic(value))
    if text is None or text.lower() in _BLANK_NUMBERS - _ZERO_DASHES:
        return None
    negative = text.startswith("(") and text.endswith(")")
    text = _NUMBER_NOISE.sub("", text.strip("()"))
    if text in _ZERO_DASHES:
        return "0"
    if text in _BLANK_NUMBERS:
        return None
    return f"-{text}" if negative else text


def parse_number(value: str | None) -> float | None:
    """Parse a quantity (an area, a count written with separators) as `_amount_text` reads it."""
    text = _amount_text(value)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError("not a number") from None


MONEY_TYPE = "decimal(18,2)"  # baht to the satang, in the warehouse and every mart
MONEY_LIMIT = Decimal(10) ** 16  # what decimal(18,2) holds: 16 digits before the point
SATANG = Decimal("0.01")


def parse_money(value: str | None, scale: float = 1.0) -> Decimal | None:
    """Parse an amount of baht exactly, as a decimal rounded to the satang: `scale` is the
    unit of its header ('(พันบาท)': 1000). Not finite or beyond what the warehouse's money type
    holds is refused, never stored as infinity or cut."""
    text = _amount_text(value)
    if text is None:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("not an amount of money") from None
    if not amount.is_finite():
        raise ValueError("not a finite amount of money")
    amount *= Decimal(str(scale))
    if abs(amount) >= MONEY_LIMIT:
        raise ValueError("an amount of 10^16 baht or more: beyond any budget")
    return amount.quantize(SATANG, rounding=ROUND_HALF_UP)


def parse_integer(value: str | None) -> int | None:
    """Parse a whole number (a count); '12.0' is accepted, '12.5' is not."""
    number = parse_number(value)
    if number is None:
        return None
    if not number.is_integer():
        raise ValueError("not a whole number")
    return int(number)


def normalize_code(value: str | None, digits: int) -> str | None:
    """An official code of a given length: Thai digits, separators and lost leading zeros."""
    text = clean_text(thai_digits_to_arabic(value))
    if text is None:
        return None
    if re.fullmatch(r"\d+\.0+", text):  # a code that travelled through a float
        text = text.split(".")[0]
    text = re.sub(r"[\s\-./]", "", text)
    if not text.isdigit() or len(text) > digits:
        raise ValueError(f"not a {digits}-digit code")
    return text.zfill(digits)


def to_common_era_year(year: int) -> int:
    """A year as written in a Thai file (B.E. or C.E., two or four digits) in C.E.

    Two-digit years are B.E. (`63` is B.E. 2563, C.E. 2020): that is how Thai offices
    abbreviate. Four-digit years above 2400 are B.E.
    """
    if year < 100:
        year += 2500
    if year > 2400:
        year -= BUDDHIST_ERA_OFFSET
    return year


_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2,4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?")
_MONTH_NAME_DATE = re.compile(r"(\d{1,2})\s*([^\d\s]+)\s*(\d{2,4})")
_ERA_LABEL = re.compile(r"(พ\.ศ\.|ค\.ศ\.)\s*")
_EXCEL_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


def parse_date(
    value: str | None,
    earliest: dt.date = dt.date(1900, 1, 1),
    latest: dt.date = dt.date(2100, 12, 31),
) -> dt.date | None:
    """Parse a date as Thai files write it.

    Accepts ISO dates (from real Excel dates), Excel serial numbers, d/m/y with B.E. or C.E.
    years of two or four digits, and Thai month names or abbreviations ('5 ม.ค. 63').
    The year is converted to C.E. *before* the date is validated, so 29/02/2563 is valid.
    Dates outside [earliest, latest] are rejected as implausible.
    """
    text = clean_text(thai_digits_to_arabic(value))
    if text is None or text in _BLANK_NUMBERS:
        return None
    parsed = _parse_date_text(text)
    if parsed is None:
        raise ValueError("not a date")
    if not earliest <= parsed <= latest:
        raise ValueError(f"an implausible date (not between {earliest} and {latest})")
    return parsed


def iso_date_sql(expression: str) -> str:
    """``parse_date`` as a DuckDB expression for the dates machines write (ISO, a C.E. year in
    1900-2100, with or without a time: '2019-12-01T06:05:12.732+07:00'); null for any other
    text, which only the Python rule reads. Survey exports write one per interview."""
    text = f"trim({expression})"
    return (
        f"case when regexp_full_match({text}, '(19[0-9][0-9]|20[0-9][0-9]|2100)-[0-9]{{2}}-"
        f"[0-9]{{2}}([ T].*)?') then try_cast(substr({text}, 1, 10) as date) end"
    )


def _parse_date_text(text: str) -> dt.date | None:
    try:
        if match := _ISO_DATE.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(to_common_era_year(year), month, day)
        if _EXCEL_SERIAL.fullmatch(text):
            return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
        if match := _NUMERIC_DATE.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(to_common_era_year(year), month, day)
        if match := _MONTH_NAME_DATE.fullmatch(_ERA_LABEL.sub("", text)):
            day, month_name, year = match.groups()
            month = THAI_MONTHS.get(month_name)
            if month is None:
                return None
            return dt.date(to_common_era_year(int(year)), month, int(day))
    except ValueError:  # day or month out of range
        return None
    return None


_MONTH_YEAR = re.compile(r"([^\d\s/\-.][^\d]*?)\.?\s*(\d{2,4})")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[/\-.]\s*(\d{1,2})")
_YEAR_ONLY = re.compile(r"(?:ปี|พ\.ศ\.|ค\.ศ\.|year)?\s*(\d{4})", re.IGNORECASE)
DATE_PRECISIONS = ("day", "month", "year")


def parse_partial_date(value: str | None) -> tuple[dt.date, str] | None:
    """A date that may be written to the month or the year only ('ม.ค. 2564', '2564'), as its
    first day and its precision ('day', 'month' or 'year'): the precision is never invented."""
    text = clean_text(thai_digits_to_arabic(value))
    if text is None or text in _BLANK_NUMBERS:
        return None
    try:
        return parse_date(value), "day"
    except ValueError:
        pass
    unlabelled = _ERA_LABEL.sub("", text).strip()
    month, year = None, None
    if match := _MONTH_YEAR.fullmatch(unlabelled):
        month, year = THAI_MONTHS.get(match.group(1).strip()), int(match.group(2))
        if month is None:
            month = THAI_MONTHS.get(match.group(1).strip() + ".")
    elif match := _YEAR_MONTH.fullmatch(unlabelled):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := _YEAR_ONLY.fullmatch(text):
        year = int(match.group(1))
    if year is None or (month is None and not _YEAR_ONLY.fullmatch(text)):
        raise ValueError("not a date")
    try:
        day = dt.date(to_common_era_year(year), month or 1, 1)
    except ValueError:
        raise ValueError("not a date") from None
    if not dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise ValueError("an implausible date (not between 1900 and 2100)")
    return day, "month" if month else "year"


CITIZEN_ID_WEIGHTS = tuple(range(13, 1, -1))  # weights of the first 12 digits


def citizen_id_check_digit(first_twelve: str) -> int:
    """Check digit of a Thai citizen ID from its first 12 digits."""
    total = sum(int(d) * w for d, w in zip(first_twelve, CITIZEN_ID_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_citizen_id(value: str | None) -> bool:
    """True for 13 digits (separators and Thai digits allowed) with a correct check digit."""
    digits = canonical_citizen_id(value)
    return (
        len(digits) == 13
        and digits.isdigit()
        and citizen_id_check_digit(digits[:12]) == int(digits[12])
    )


def canonical_identifier(value: str | None) -> str:
    """An identifier as compared and hashed: Thai digits as ASCII, no whitespace or dashes."""
    return re.sub(f"[{WHITESPACE}-]", "", thai_digits_to_arabic(value) or "")


def canonical_identifier_sql(expression: str) -> str:
    """``canonical_identifier`` as a DuckDB expression."""
    digits = f"translate({expression}, '{THAI_DIGITS}', '0123456789')"
    return f"regexp_replace({digits}, '[{WHITESPACE}-]', '', 'g')"


# A citizen ID that travelled through a number cell lost its leading zeros (IDs of non-Thai and
# highland people begin with 0): 11 or 12 digits are padded back to 13.
_ZEROS_LOST = re.compile(r"\d{11,12}")


def canonical_citizen_id(value: str | None) -> str:
    """A citizen ID as compared, checked and hashed: ``canonical_identifier``, with leading
    zeros a spreadsheet dropped put back."""
    identifier = canonical_identifier(value)
    return identifier.zfill(13) if _ZEROS_LOST.fullmatch(identifier) else identifier


def canonical_citizen_id_sql(expression: str) -> str:
    """``canonical_citizen_id`` as a DuckDB expression."""
    identifier = canonical_identifier_sql(expression)
    return (
        f"case when regexp_full_match({identifier}, '[0-9]{{11,12}}') "
        f"then lpad({identifier}, 13, '0') else {identifier} end"
    )


def is_valid_citizen_id_sql(canonical: str) -> str:
    """``is_valid_citizen_id`` as a DuckDB expression over a canonical identifier."""
    weighted = " + ".join(
        f"cast(substr({canonical}, {i + 1}, 1) as integer) * {w}"
        for i, w in enumerate(CITIZEN_ID_WEIGHTS)
    )
    check = f"cast(substr({canonical}, 13, 1) as integer)"
    return (
        f"case when regexp_full_match({canonical}, '[0-9]{{13}}') "
        f"then (11 - ({weighted}) % 11) % 10 = {check} else false end"
    )


REDACTED = "[redacted]"
_IDENTIFIER_CHARACTERS = f"[0-9{THAI_DIGITS}{WHITESPACE}+()-]+"
_DIGIT = f"[0-9{THAI_DIGITS}]"
IDENTIFIER_MIN_DIGITS = 9  # phone numbers have 9-10 digits, citizen IDs 13, house codes 11


def looks_like_identifier(value: str | None) -> bool:
    """A cell made only of digits and separators, with enough digits to be a phone number,
    a citizen ID or a house code: kept out of free-text columns and error messages."""
    return (
        value is not None
        and re.fullmatch(_IDENTIFIER_CHARACTERS, value) is not None
        and len(re.findall(_DIGIT, value)) >= IDENTIFIER_MIN_DIGITS
    )


# A person's name as Thai and English files write it: a title, then the name ("นายสมชาย ใจดี",
# "น.ส.สมศรี", "ด.ญ. มาลี", "Mr. Somchai"). Python and DuckDB read this pattern alike.
PERSON_TITLE = (
    r"(นาย|นางสาว|นาง|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง|mr\.?|mrs\.?|ms\.?|miss)"
    r"\s*[^\s(]"
)


def looks_like_person_name(value: str | None) -> bool:
    """Text that begins with a person's title: a name, kept out of what the warehouse holds."""
    return value is not None and re.match(PERSON_TITLE, value.strip(), re.IGNORECASE) is not None


def looks_personal(value: str | None) -> bool:
    """A cell to redact wherever raw text is kept: an identifier or a person's name."""
    return looks_like_identifier(value) or looks_like_person_name(value)


def redact_personal_sql(expression: str) -> str:
    """``expression``, or '[redacted]' where ``looks_personal`` holds: in DuckDB."""
    digits = f"length(regexp_replace({expression}, '[^0-9{THAI_DIGITS}]', '', 'g'))"
    identifier = (
        f"regexp_full_match({expression}, '{_IDENTIFIER_CHARACTERS}') "
        f"and {digits} >= {IDENTIFIER_MIN_DIGITS}"
    )
    name = f"regexp_matches(trim({expression}), '^{PERSON_TITLE}', 'i')"
    return f"case when {identifier} or {name} then '{REDACTED}' else {expression} end"


_PREFIXES = (
    "จังหวัด",
    "จ.",
    "อำเภอ",
    "อ.",
    "กิ่งอำเภอ",
    "ตำบล",
    "ต.",
    "หมู่บ้าน",
    "บ้าน",
    "บ.",
)


def clean_place_name(value: str | None) -> str | None:
    """A place name without its administrative prefix: 'อ.แม่สาย' -> 'แม่สาย'."""
    text = clean_text(value)
    if text is None:
        return None
    for prefix in sorted(_PREFIXES, key=len, reverse=True):
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :].strip() or None
    return text


# A note in brackets after a value ('หมู่ที่ 5 (บ้านใหม่)', 'ระยะที่ 1 (ปี 2563)') is not part of it.
_NOTE = r"(?:\s*\(.*\))?"
_MOO = re.compile(rf"^(?:หมู่ที่|หมู่|ม\.|moo|m\.)?\s*(\d{{1,2}}){_NOTE}$", re.IGNORECASE)


def parse_moo(value: str | None) -> int | None:
    """A village (moo) number: '5', 'ม.5', 'หมู่ที่ ๕', 'Moo 5', '05' -> 5."""
    text = clean_text(thai_digits_to_arabic(value))
    if text is None:
        return None
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    match = _MOO.fullmatch(text)
    if not match or not 1 <= int(match.group(1)) <= 99:
        raise ValueError("not a moo number (1 to 99)")
    return int(match.group(1))


_ROMAN_PHASES = {"i": 1, "ii": 2}


def parse_phase(value: str | None) -> int | None:
    """A programme phase: '1', 'ระยะที่ 1', 'ระยะ ๒', 'Phase 2', 'II' -> 1 or 2."""
    text = clean_text(thai_digits_to_arabic(value))
    if text is None:
        return None
    match = re.fullmatch(
        rf"(?:ระยะที่|ระยะ|phase|stage)?\s*([12]|i{{1,2}})(?:\.0+)?{_NOTE}", text, re.IGNORECASE
    )
    if not match:
        raise ValueError("not a phase (1 or 2)")
    number = match.group(1).lower()
    return _ROMAN_PHASES.get(number) or int(number)


_SEXES = {
    "male": ("1", "m", "male", "man", "ชาย", "ช", "เพศชาย", "ผู้ชาย"),
    "female": ("2", "f", "female", "woman", "หญิง", "ญ", "เพศหญิง", "ผู้หญิง"),
}
_SEX_BY_ANSWER = {answer: sex for sex, answers in _SEXES.items() for answer in answers}


def parse_sex(value: str | None) -> str | None:
    """A member's sex as 'male' or 'female' from the forms' answers (ODK choice codes 1/2,
    labels in Thai or English); any other answer is kept as written."""
    text = clean_text(thai_digits_to_arabic(value))
    if text is None:
        return None
    return _SEX_BY_ANSWER.get(text.lower().removesuffix(".0"), text)


# A reviewer's verdict on a survey submission (KoboToolbox validation status, ODK Central
# review state), canonical; the rejected ones never enter the warehouse.
_REVIEW_STATUSES = {
    "approved": ("approved", "validation status approved", "อนุมัติ", "ผ่าน"),
    "not_approved": ("not approved", "validation status not approved", "ไม่อนุมัติ", "ไม่ผ่าน"),
    "on_hold": ("on hold", "validation status on hold", "รอตรวจสอบ"),
    "rejected": ("rejected", "ปฏิเสธ"),
    "has_issues": ("hasissues", "has issues"),
    "edited": ("edited",),
    "received": ("received",),
}
_REVIEW_BY_ANSWER = {a: status for status, answers in _REVIEW_STATUSES.items() for a in answers}
REJECTED_REVIEW_STATUSES = ("not_approved", "rejected")


def parse_review_status(value: str | None) -> str | None:
    """A submission's review status, canonical (``_REVIEW_STATUSES``); unknown ones as written."""
    text = clean_text(value)
    if text is None:
        return None
    answer = " ".join(re.split(r"[\s_\-]+", text.lower()))
    return _REVIEW_BY_ANSWER.get(answer, text)


def parse_fiscal_year(value: str | None) -> int | None:
    """A Thai fiscal year as its B.E. number: '2563', 'พ.ศ. 2563', 'ปีงบ 63', '2020' -> 2563."""
    text = clean_text(thai_digits_to_arabic(value))
    if text is None:
        return None
    label = r"(?:ปีงบประมาณ|ปีงบ|พ\.ศ\.|fy)?\s*(?:พ\.ศ\.)?\s*"
    match = re.fullmatch(rf"{label}(\d{{2}}|\d{{4}})(?:\.0+)?{_NOTE}", text, re.I)
    if not match:
        raise ValueError("not a fiscal year")
    return to_common_era_year(int(match.group(1))) + BUDDHIST_ERA_OFFSET
