"""Facts that a table does not hold in any column: read from the text around it.

Agencies write the agency, the fiscal year, the province, the phase or the village in title rows
above a table, in section rows between its rows ("ระยะที่ ๑", a village plan's block title), in
a label-and-value row ("วันที่จัดทำแผน | 22 มี.ค. 63"), in the sheet name ("พช.พะเยา", "ปีงบ 63"),
in the file name or in the landing sub-folder. ``facts_in_text`` finds, in one such text, a
value for each column of a table that may take one (``ColumnContract.context``), and
``fact_in_label`` reads a label-and-value pair. A value is returned as written, with where it
came from; the column's type parses it like any cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import geothai

from sources.agencies import known_agency_name
from sources.contracts import ColumnContract, TableContract
from sources.headers import read_header, score
from sources.location import parse_location
from sources.normalize import clean_text, thai_digits_to_arabic
from sources.programme_seeds import programme_province_codes
from sources.types import PARSERS

LABEL_THRESHOLD = 0.75  # a label must name its column clearly
MAX_AGENCY_WORDS = 4  # an agency's name in a title is a run of at most this many words
_FISCAL_YEAR = re.compile(
    r"(?:ปีงบประมาณ|ปีงบฯ?|ปี\s*งบ(?:ประมาณ)?|fiscal\s*year|\bfy)\s*(?:พ\.?\s*ศ\.?)?\s*"
    r"(\d{4}|\d{2})(?!\s*[-–/]\s*\d)(?!\d)",
    re.IGNORECASE,
)
_BARE_YEAR = re.compile(r"(?<!\d)(25[4-9]\d)(?!\d)")
_YEAR_RANGE = re.compile(r"(?<!\d)\d{2,4}\s*[-–]\s*\d{2,4}(?!\d)")
_PHASE = re.compile(r"(?:ระยะที่|ระยะ|phase|stage)\s*(\d|i{1,2}\b)", re.IGNORECASE)
_SEGMENT_BREAK = re.compile(r"\s[-–|:]\s|[_:()\[\]|]|\s{2,}")
_VILLAGE_WORD = re.compile(r"(?:^|\s)(?:บ้าน|บ\.)")
# Where a text came from, by rank: a nearer source wins over a farther one.
NAME_SOURCES = ("sheet name", "file name", "folder")


@dataclass(frozen=True)
class Fact:
    column: str  # contract column name
    value: str  # as written, for the column's parser
    source: str  # 'row 3', 'sheet name', 'file name', 'folder'


def facts_in_text(text: str | None, table: TableContract, source: str) -> list[Fact]:
    """The values this text gives the table's context columns (none it cannot vouch for)."""
    text = clean_text(thai_digits_to_arabic(text))
    if text is None:
        return []
    facts = []
    for column in table.columns:
        if not column.context:
            continue
        value = _find(column, text, bare_year=source in NAME_SOURCES)
        if value is not None and _parses(column, value):
            facts.append(Fact(column.name, value, source))
    return facts


def fact_in_label(label: str, value: str, table: TableContract, source: str) -> Fact | None:
    """A label-and-value pair ('หน่วยงาน : X', or two cells) whose label names a context column."""
    header = read_header(label)
    best = max(
        (c for c in table.columns if c.context),
        key=lambda c: score(header, c.vocabulary),
        default=None,
    )
    if best is None or score(header, best.vocabulary) < LABEL_THRESHOLD:
        return None
    value = clean_text(value)
    if value is None or not _parses(best, value):
        return None
    return Fact(best.name, value, source)


def facts_in_row(cells: list[str], table: TableContract, source: str) -> list[Fact]:
    """Facts in a row outside the table: one text, or a label and its value."""
    if len(cells) == 2:
        fact = fact_in_label(cells[0], cells[1], table, source)
        if fact is not None:
            return [fact]
    facts: list[Fact] = []
    for cell in cells:
        if ":" in cell:
            label, _, value = cell.partition(":")
            fact = fact_in_label(label, value, table, source)
            if fact is not None:
                facts.append(fact)
                continue
        facts.extend(facts_in_text(cell, table, source))
    return facts


def _parses(column: ColumnContract, value: str) -> bool:
    try:
        return PARSERS[column.type][0](value) is not None
    except ValueError:
        return False


def _find(column: ColumnContract, text: str, *, bare_year: bool) -> str | None:
    if column.type == "fiscal_year":
        return _fiscal_year(text, bare_year=bare_year)
    if column.type == "phase":
        phases = {match.group(1).lower() for match in _PHASE.finditer(text)}
        return f"ระยะที่ {phases.pop()}" if len(phases) == 1 else None
    if column.type == "agency":
        return _agency(text)
    if column.type == "location":
        return _village_location(text)
    if column.name == "province_name":
        return _province(text)
    return None


def _fiscal_year(text: str, *, bare_year: bool) -> str | None:
    """'ประจำปีงบประมาณ พ.ศ. 2563', 'ปีงบ 63', 'FY2021'; in a sheet or file name also a lone
    B.E. year ('ร่างแผน 2566'), never a range ('2563-2565')."""
    years = {match.group(1) for match in _FISCAL_YEAR.finditer(text)}
    if not years and bare_year and not _YEAR_RANGE.search(text):
        years = {match.group(1) for match in _BARE_YEAR.finditer(text)}
    return years.pop() if len(years) == 1 else None


def _agency(text: str) -> str | None:
    """A part of the text (a segment between separators, or a run of its words) that names
    an agency the vocabulary knows, if it names one only."""
    found = {known_agency_name(text)} - {None}
    if not found:
        for segment in _SEGMENT_BREAK.split(text):
            words = (segment or "").split()
            spans = (
                " ".join(words[start:end])
                for start in range(len(words))
                for end in range(start + 1, min(len(words), start + MAX_AGENCY_WORDS) + 1)
            )
            found |= {known_agency_name(span) for span in spans} - {None}
    return found.pop() if len(found) == 1 else None


def _village_location(text: str) -> str | None:
    """A village's location ('แผนพัฒนาหมู่บ้าน บ้านX หมู่ที่ ๑ ตำบลY ...'), from its village
    word on: a village (its moo, or its name after บ้าน/บ.) and its subdistrict or district."""
    starts = [m.start() for m in _VILLAGE_WORD.finditer(text)]
    candidates = [text[starts[-1] :].strip()] if starts else []
    for candidate in [*candidates, text]:
        parts = parse_location(candidate)
        named = candidate in candidates and parts is not None and parts.village_name
        if parts and (parts.moo or named) and (parts.subdistrict or parts.district):
            return candidate
    return None


@cache
def _province_names() -> dict[str, str]:
    """Written names of the programme's provinces (Thai, English) -> province code."""
    names = {}
    for code in programme_province_codes():
        province = geothai.province(code)
        names[province.name_th] = code
        names[province.name_en.lower()] = code
    return names


def _province(text: str) -> str | None:
    """The one programme province a text names ('จังหวัดพะเยา', 'Mae Hong Son province')."""
    lowered = text.lower()
    found = {code for name, code in _province_names().items() if name in lowered}
    if len(found) != 1:
        return None
    (code,) = found
    return geothai.province(code).name_th
