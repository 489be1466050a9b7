"""Read a column header the way a person does, and score it against a column's vocabulary.

Headers are worded many ways: synonyms, Thai abbreviations (ปีงบฯ, งปม., อ./ต./ม.), a slash
joining two words, units and notes in brackets, line breaks, English or Thai, survey field
names with group paths (``grp_hh/n_people``, ``grp_loc-tambon``) or camel case
(``SubmissionDate``). ``read_header`` reduces a header to its words (abbreviations expanded,
brackets set apart, the unit scale noted); ``score`` compares those words with the phrases a
contract lists for a column: 1.0 for the same words, 0.6-1.0 when the header contains every
word of a phrase (the more of the header the phrase covers, the higher), the fuzzy ratio
(rapidfuzz) for a near spelling, and 0 when the header holds one of the column's excluded words
(``ร้อยละ`` is never the disbursed amount). The abbreviations and units are data, in
``header_words.yml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from sources.normalize import thai_digits_to_arabic

HEADER_WORDS_PATH = Path(__file__).with_name("header_words.yml")
CONTAINED_SCORE = 0.6  # the least score of a header that contains every word of a phrase
FUZZY_MIN_RATIO = 85  # rapidfuzz ratio (0-100) below which spellings are not near
FUZZY_WEIGHT = 0.95  # a near spelling scores just below the same words
SHORT_WORD = 2  # English words this short must be whole words, not the start of one
SHORT_THAI_WORD = 3  # Thai words this short ('ที่', 'ปี', 'งบ') are particles inside others
PATH_WEIGHT = 0.9  # a field named only with its group's words ('inc/farm') scores a little less

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-/\\.,:;|+*#?!'\"`~=&%]+")
_BRACKETS = re.compile(r"[(\[{（]([^)\]}）]*)[)\]}）]")
_FIELD_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(?:[/-][A-Za-z0-9_.]+)+")
_THAI_MARKS = re.compile("[ฯๆ\u200b\u200c\u200d\ufeff]")


@cache
def _header_words() -> dict:
    return yaml.safe_load(HEADER_WORDS_PATH.read_text(encoding="utf-8"))


def header_key(header: str) -> str:
    """A header as compared exactly: NFC, lower case, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", header)).lower()


def field_path(header: str) -> tuple[str, ...]:
    """The group path of a survey field name ('grp_loc/village_code', 'meta-instanceID'), or ()."""
    text = unicodedata.normalize("NFC", header).strip()
    if not _FIELD_PATH.fullmatch(text):
        return ()
    return tuple(part for part in re.split(r"[/-]", text) if part)


def words(text: str) -> tuple[str, ...]:
    """The words of a header or phrase: Thai digits as ASCII, abbreviations expanded, camel
    case and separators split, lower case; Thai runs stay whole (Thai has no spaces)."""
    vocabulary = _header_words()
    text = _THAI_MARKS.sub("", thai_digits_to_arabic(unicodedata.normalize("NFC", text)))
    for short, full in sorted(
        vocabulary["thai_abbreviations"].items(), key=lambda item: -len(item[0])
    ):
        text = text.replace(short, f" {full} ")
    for short, full in vocabulary["thai_prefixes"].items():
        text = re.sub(rf"(^|[\s/(,:\-]){re.escape(short)}", rf"\1 {full} ", text)
    text = _CAMEL.sub(" ", text).lower()
    english = vocabulary["english_abbreviations"]
    result: list[str] = []
    for word in _SEPARATORS.split(text):
        if word:
            result.extend(english.get(word, word).split())
    return tuple(result)


@dataclass(frozen=True)
class Header:
    """A header cell as read: its words outside and inside brackets, and its amount unit."""

    written: str
    exact: str
    main: tuple[str, ...]
    bracketed: tuple[str, ...]
    scale: float  # baht per unit of an amount under this header (1000 for พันบาท)
    path: tuple[str, ...] = ()  # the words of a field's whole group path ('inc/farm')

    @property
    def all_words(self) -> tuple[str, ...]:
        return self.main + self.bracketed


@cache
def read_header(written: str) -> Header:
    """Read a header cell; a survey field path is read by its last part ('grp_hh/hh_size')."""
    text = written
    path = field_path(written)
    if path:
        text = path[-1]
    bracketed = " ".join(_BRACKETS.findall(text))
    main = _BRACKETS.sub(" ", text)
    path_words = words(" ".join(path)) if len(path) > 1 else ()
    return Header(
        written, header_key(written), words(main), words(bracketed), _scale(written), path_words
    )


def _scale(written: str) -> float:
    lowered = unicodedata.normalize("NFC", written).lower()
    for unit, scale in _header_words()["amount_scales"].items():
        if str(unit).lower() in lowered:
            return float(scale)
    return 1.0


@dataclass(frozen=True)
class Phrase:
    """One way a column is named: its words, or an exact technical name ('_uuid')."""

    written: str
    exact: str
    words: tuple[str, ...]
    exact_only: bool  # Kobo/ODK metadata names match only as written

    @classmethod
    def of(cls, written: str) -> Phrase:
        return cls(written, header_key(written), words(written), written.startswith("_"))


@dataclass(frozen=True)
class Vocabulary:
    """What names one contract column: phrases, and words that rule a header out."""

    phrases: tuple[Phrase, ...]
    exclude: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, phrases: list[str], exclude: list[str] = ()) -> Vocabulary:
        return cls(tuple(Phrase.of(p) for p in phrases), tuple(words(w) for w in exclude))


def _contains(header_words: tuple[str, ...], phrase_words: tuple[str, ...]) -> bool:
    """Whether a header holds every word of a phrase: an English word as a word or the start
    of one, a Thai word anywhere (Thai runs words together), short words only whole."""
    joined = "".join(header_words)
    for word in phrase_words:
        short = len(word) <= (SHORT_WORD if word.isascii() else SHORT_THAI_WORD)
        if short:
            found = word in header_words
        elif word.isascii():
            found = any(w.startswith(word) for w in header_words)
        else:
            found = word in joined
        if not found:
            return False
    return True


def _phrase_score(header_words: tuple[str, ...], phrase: Phrase) -> float:
    if not header_words or not phrase.words:
        return 0.0
    joined, target = "".join(header_words), "".join(phrase.words)
    if joined == target:
        return 1.0
    best = 0.0
    if _contains(header_words, phrase.words):
        coverage = min(1.0, len(target) / len(joined))
        best = CONTAINED_SCORE + (1 - CONTAINED_SCORE) * coverage
    ratio = fuzz.ratio(joined, target)
    if ratio >= FUZZY_MIN_RATIO:
        best = max(best, FUZZY_WEIGHT * ratio / 100)
    return best


def score(header: Header, vocabulary: Vocabulary, containing: tuple[str, ...] = ()) -> float:
    """How well a header names a column, from 0 (not at all) to 1 (the same words).
    ``containing``: only phrases that hold one of these words count."""
    if any(_contains(header.all_words, excluded) for excluded in vocabulary.exclude):
        return 0.0
    best = 0.0
    for phrase in vocabulary.phrases:
        if containing and not any(w in "".join(phrase.words) for w in containing):
            continue
        if phrase.exact == header.exact:
            return 1.0
        if phrase.exact_only:
            continue
        best = max(
            best,
            _phrase_score(header.main, phrase),
            _phrase_score(header.all_words, phrase) if header.bracketed else 0.0,
            PATH_WEIGHT * _phrase_score(header.path, phrase) if header.path else 0.0,
        )
    return best
