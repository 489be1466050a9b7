"""How the committee report writes dates and numbers: Buddhist Era dates with Thai month
names, numbers with thousands separators (Thai official statistics use Arabic digits in
tables), signed changes, shares as percentages, and the mark of a suppressed small count.

Pure functions: every figure of the HTML and the PDF goes through them; the workbook keeps
numbers as numbers and gives Excel the same formats (``EXCEL_FORMATS``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

BUDDHIST_ERA_OFFSET = 543  # B.E. = C.E. + 543
BANGKOK = ZoneInfo("Asia/Bangkok")
MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
NO_VALUE = "–"  # a figure that does not exist (no target, nothing allocated)
SUPPRESSED = "ปกปิด"  # a count hidden because it, or its complement, is below k
MINUS = "-"  # ASCII, so that a copied figure pastes into a spreadsheet as a number

Number = int | float | Decimal


def buddhist_year(year_ce: int) -> int:
    return year_ce + BUDDHIST_ERA_OFFSET


def thai_date(day: date | None, short: bool = False) -> str:
    """``7 ธันวาคม 2569`` (or ``7 ธ.ค. 2569``): the day, the Thai month, the B.E. year."""
    if day is None:
        return NO_VALUE
    months = MONTHS_SHORT if short else MONTHS
    return f"{day.day} {months[day.month - 1]} {buddhist_year(day.year)}"


def thai_datetime(moment: datetime) -> str:
    """``7 ธ.ค. 2569 เวลา 05:53 น.``, in Bangkok time (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(BANGKOK)
    return f"{thai_date(local.date(), short=True)} เวลา {local:%H:%M} น."


def thai_number(value: Number | None, decimals: int = 0) -> str:
    """``1,234,567`` or ``76,050,000.00``: thousands separated by commas, ``decimals`` after
    the point; ``–`` for no value."""
    if value is None:
        return NO_VALUE
    text = f"{abs(value):,.{decimals}f}"
    return f"{MINUS}{text}" if value < 0 and text.strip("0.,") else text


def thai_change(value: Number | None, decimals: int = 0) -> str:
    """A change with its sign: ``+5,730.86``, ``-1,833.33``, ``0``."""
    text = thai_number(value, decimals)
    if value is None or value <= 0 or not text.strip("0.,"):
        return text
    return f"+{text}"


def thai_percent(share: Number | None, decimals: int = 1) -> str:
    """A share 0-1 as a percentage: ``92.7%``."""
    if share is None:
        return NO_VALUE
    return f"{thai_number(float(share) * 100, decimals)}%"


def thai_points(change: Number | None, decimals: int = 1) -> str:
    """A change of a share 0-1 in percentage points (จุดร้อยละ), with its sign: ``-23.3``."""
    if change is None:
        return NO_VALUE
    return thai_change(float(change) * 100, decimals)


def suppressed_count(count: int | None) -> str:
    """A sensitive count as the report shows it: ``ปกปิด`` where the publication hid it (the
    report keeps a hidden count as None, never as a number)."""
    return SUPPRESSED if count is None else thai_number(count)
