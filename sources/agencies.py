"""Canonical names of provincial agencies and partner organisations, however a file writes them.

The vocabulary is data, in ``sources/agencies.yml``. A provincial office is written as an office
form followed by a province form ("พช.เชียงใหม่", "สนง.ปศุสัตว์ จ.ชร."); it becomes the office's
template filled with the province's full Thai name. A partner organisation is recognised by a
distinctive keyword. Anything else comes back cleaned but as written: the code never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from sources.normalize import clean_text

VOCABULARY_PATH = Path(__file__).with_name("agencies.yml")

_NOISE = re.compile(r"[\s.ฯ()\-,]")
# Spellings that mean the same, applied after the noise is gone.
_SAME_SPELLINGS = (
    ("\u0e4d\u0e32", "\u0e33"),  # nikhahit + sara aa, typed for sara am
    ("เเ", "แ"),  # two sara e, typed for sara ae
    ("สนง", "สำนักงาน"),
)
_PROVINCE_WORD = "จังหวัด"
_PROVINCE_PREFIXES = (_PROVINCE_WORD, "จ", "")  # what may stand between office and province


@dataclass(frozen=True)
class _Partner:
    name: str
    keywords: tuple[str, ...]
    words: tuple[str, ...]  # keywords and generic words, longest first, to remove from a key


@dataclass(frozen=True)
class _Vocabulary:
    provinces: dict[str, str]  # key of a written form -> full Thai name
    offices: tuple[tuple[str, str], ...]  # (key of a written form, template), longest first
    partners: tuple[_Partner, ...]


def _key(text: str) -> str:
    """The form of a cleaned name used for comparison."""
    key = _NOISE.sub("", text.casefold())
    for written, meant in _SAME_SPELLINGS:
        key = key.replace(written, meant)
    return key


def _unique(pairs: Iterable[tuple[str, str]], what: str) -> dict[str, str]:
    """A dict of ``(key, value)`` pairs, refusing a key with two values."""
    result: dict[str, str] = {}
    for key, value in pairs:
        if result.setdefault(key, value) != value:
            raise ValueError(f"{what} form {key!r} means both {result[key]!r} and {value!r}")
    return result


@cache
def _vocabulary(path: Path = VOCABULARY_PATH) -> _Vocabulary:
    """The vocabulary in ``path``, with every written form as a comparison key."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    provinces = _unique(
        ((_key(form), p["name"]) for p in data["provinces"] for form in [p["name"], *p["written"]]),
        "province",
    )
    offices = _unique(
        (
            (_key(form).removesuffix(_PROVINCE_WORD), o["template"])
            for o in data["offices"]
            for form in [o["template"].replace("{province}", ""), *o["written"]]
        ),
        "office",
    )
    generic = [_key(word) for word in data["partner_words"]]
    partners = []
    for partner in data["partners"]:
        keywords = tuple(_key(word) for word in partner["keywords"])
        words = tuple(sorted({*keywords, *generic}, key=len, reverse=True))
        partners.append(_Partner(partner["name"], keywords, words))
    return _Vocabulary(
        provinces=provinces,
        offices=tuple(sorted(offices.items(), key=lambda item: len(item[0]), reverse=True)),
        partners=tuple(partners),
    )


def _province(rest: str, provinces: dict[str, str]) -> str | None:
    """The province that ``rest`` (what follows an office form) names, if only that."""
    for prefix in _PROVINCE_PREFIXES:
        if rest.startswith(prefix) and rest[len(prefix) :] in provinces:
            return provinces[rest[len(prefix) :]]
    return None


def _office(key: str, vocabulary: _Vocabulary) -> str | None:
    """The canonical name of the provincial office that ``key`` names, longest office form first."""
    for form, template in vocabulary.offices:
        if key.startswith(form):
            province = _province(key[len(form) :], vocabulary.provinces)
            if province:
                return template.format(province=province)
    return None


def _partner(key: str, vocabulary: _Vocabulary) -> str | None:
    """The partner whose keyword ``key`` holds, with nothing but keywords and generic words."""
    for partner in vocabulary.partners:
        if any(keyword in key for keyword in partner.keywords):
            rest = key
            for word in partner.words:
                rest = rest.replace(word, "")
            if not rest:
                return partner.name
    return None


def known_agency_name(text: str | None) -> str | None:
    """The canonical name of an agency the vocabulary knows, else None."""
    cleaned = clean_text(text)
    if cleaned is None:
        return None
    key = _key(cleaned)
    vocabulary = _vocabulary()
    return _office(key, vocabulary) or _partner(key, vocabulary)


def canonical_agency_name(text: str | None) -> str | None:
    """The canonical name of an agency as written; None for a blank. A name the vocabulary
    does not know comes back cleaned (NFC, whitespace collapsed) but otherwise as written."""
    return known_agency_name(text) or clean_text(text)
