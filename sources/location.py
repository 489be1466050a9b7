"""Split a free-text Thai village location into village, moo, subdistrict, district, province.

Parts with a marker ("ม.3", "ต.ป่าตึง", "Amphoe Mae Sai", "Mae Sai District") are read by
it. Parts without one fill the free levels in order, from village to province, after the part
before them: "บ.ดอยงาม ม.6/สันทราย/ฝาง" names subdistrict สันทราย and district ฝาง.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass

from sources.normalize import clean_text, thai_digits_to_arabic


@dataclass(frozen=True)
class LocationParts:
    """The parts a location text names; None for a part it does not name."""

    village_name: str | None
    moo: int | None
    subdistrict: str | None
    district: str | None
    province: str | None


_LEVELS = ("village_name", "moo", "subdistrict", "district", "province")
_B = r"(?<![^\s\d])"  # an abbreviation starts the text or follows a space or a digit
_MARKER = re.compile(
    rf"""
    (?P<moo>หมู่ที่|หมู่(?!บ้าน)|ม\.(?=\s?\d)|{_B}ม(?:\.|(?=\s?\d))
        |\b(?:moo|village\s+no)(?![a-z])\.?|{_B}(?:m\.|mu)(?=\s?\d))
    |(?P<subdistrict>ตำบล|{_B}ต\.|\b(?:tambon|tambol|sub[-\s]?district)(?![a-z])\.?|{_B}t\.)
    |(?P<district>กิ่งอำเภอ|อำเภอ|{_B}อ\.
        |\b(?:king\s+amphoe|amphoe|amphur|district)(?![a-z])\.?|{_B}a\.)
    |(?P<province>จังหวัด|{_B}จ\.|\b(?:changwat|province|prov)(?![a-z])\.?)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SUFFIX_MARKER = re.compile(r"(?:sub[-\s]?)?district|province", re.IGNORECASE)
_SEPARATOR = re.compile(r"[,;/|()\[\]]")
_THAI = re.compile("[\u0e00-\u0e7f]")
_BARE_PREFIX = re.compile(r"(?<!\S)(หมู่บ้าน|บ้าน|บ\.) (?=\S)")  # "บ้าน ห้วยทราย": one word
_VILLAGE_PREFIX = re.compile(r"^(?:หมู่บ้าน|บ้าน|บ\.)\s*")
_VILLAGE_START = re.compile(r"หมู่บ้าน|บ้าน|บ\.|baa?n\s", re.IGNORECASE)
_MOO_NUMBER = re.compile(r"[\s:.]*([0-9]*)")
_NUMBER = re.compile(r"[0-9]+")
_PUNCTUATION = " :.-"


def parse_location(text: str | None) -> LocationParts | None:
    """None for a blank; otherwise whatever parts the text names (others None)."""
    text = thai_digits_to_arabic(clean_text(text))
    if text is None:
        return None
    chunks = [chunk.strip() for chunk in _SEPARATOR.split(text) if chunk.strip()]
    if len(chunks) == 1 and not _MARKER.search(text):  # a plain name, spaces and all
        return LocationParts(_value("village_name", chunks[0]), None, None, None, None)
    pieces = [piece for chunk in chunks for piece in _pieces(chunk)]
    found: dict[str, str | int] = {}
    for level, raw in pieces:  # parts with a marker first: they win over guesses
        value = _value(level, raw) if level else None
        if value is not None:
            found.setdefault(level, value)
    cursor = -1  # the level of the part before
    for level, raw in pieces:
        if level is None:
            level = _guess(raw, cursor, found)
            value = _value(level, raw) if level else None
            if value is None:
                continue
            found[level] = value
        cursor = _LEVELS.index(level)
    return LocationParts(*(found.get(level) for level in _LEVELS))


def is_composite_location(text: str | None) -> bool:
    """True when the text names at least two administrative levels (e.g. a village and its moo,
    or a moo and a subdistrict), i.e. it is a location string rather than a plain name."""
    parts = parse_location(text)
    return parts is not None and sum(part is not None for part in astuple(parts)) >= 2


def _pieces(chunk: str) -> list[tuple[str | None, str]]:
    """A chunk as (level, raw text) pairs in order; level None for a part without a marker."""
    markers = list(_MARKER.finditer(chunk))
    starts = [marker.start() for marker in markers] + [len(chunk)]
    pieces = _unlabelled(chunk[: starts[0]])
    for marker, end in zip(markers, starts[1:], strict=True):
        level, rest = marker.lastgroup, chunk[marker.end() : end]
        if level == "moo":
            number = _MOO_NUMBER.match(rest)
            value, rest = number.group(1), rest[number.end() :]
        elif _THAI.search(rest):  # a Thai name is one word: the words after it are unlabelled
            value, _, rest = rest.strip(_PUNCTUATION).partition(" ")
        else:
            value, rest = rest, ""
        suffix = _SUFFIX_MARKER.fullmatch(marker.group().rstrip("."))
        if suffix and not value.strip(_PUNCTUATION) and pieces and pieces[-1][0] is None:
            value = pieces.pop()[1]  # "Mae Sai District"
        pieces.append((level, value))
        pieces += _unlabelled(rest)
    return pieces


def _unlabelled(text: str) -> list[tuple[str | None, str]]:
    """Text without a marker as parts: Thai word by word, other text whole."""
    text = text.strip()
    if not text:
        return []
    if _THAI.search(text):
        return [(None, word) for word in _BARE_PREFIX.sub(r"\1", text).split(" ")]
    return [(None, text)]


def _guess(raw: str, cursor: int, found: dict[str, str | int]) -> str | None:
    """The level of a part without a marker, from the level before it; None to drop it."""
    if _NUMBER.fullmatch(raw.strip(_PUNCTUATION)):  # a moo written bare, or a postcode
        return "moo" if cursor < 1 and "moo" not in found else None
    if "village_name" not in found and (cursor < 0 or _VILLAGE_START.match(raw)):
        return "village_name"
    return next((level for level in _LEVELS[max(cursor + 1, 2) :] if level not in found), None)


def _value(level: str, raw: str) -> str | int | None:
    """A part as kept: a moo as a number in 1..99, a village with 'บ้าน' written in full."""
    if level == "moo":
        number = raw.strip(_PUNCTUATION)
        return int(number) if _NUMBER.fullmatch(number) and 1 <= int(number) <= 99 else None
    if level == "village_name":
        raw = _VILLAGE_PREFIX.sub("บ้าน", raw)
    name = raw.strip(_PUNCTUATION)
    return name if name not in ("", "บ้าน") else None
