"""Source contracts: what each kind of landing file holds, declared as data in ``contracts/``.

A contract lists, per warehouse table, the columns with their vocabulary (the phrases that name
them and the words that rule a header out, scored by ``sources.headers``), their type (see
``sources.types``), whether a row needs them, whether they are sensitive (``restricted``: kept
apart, in the restricted schema), whether their value may come from outside the table
(``context``), whether a blank cell means "as above" (``fill_down``) and, for numbers, the
largest magnitude a true value can have (``maximum``: beyond it a value is a typing error or a
unit mistake, quarantined rather than summed into a mart). Headers that name
personal data the warehouse must never hold (names, phones, addresses) are dropped, never read:
those listed in the contract, and any header that looks like one (``PERSONAL_HEADER_WORDS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import yaml

from sources.headers import Vocabulary, header_key, read_header
from sources.types import AMOUNT_TYPES

CONTRACTS_DIR = Path(__file__).parent / "contracts"
# Headers with one of these words name a person: never read, whatever else they say.
PERSONAL_HEADER_WORDS = (
    "นามสกุล", "สกุล", "โทร", "ที่อยู่", "บ้านเลขที่", "ผู้รับผิดชอบ", "ผู้ประสาน", "ผู้รายงาน",
    "ผู้ให้ข้อมูล", "ผู้สำรวจ", "ผู้บันทึก", "ผู้ติดต่อ", "ชื่อหัวหน้า", "ชื่อสมาชิก",
    "phone", "mobile", "email", "address", "line id", "house no", "house number", "surname",
    "submitter", "submitted by", "username", "enumerator", "interviewer", "respondent",
)  # fmt: skip
# Headers with one of these words name a person unless a contract column claimed them first.
PERSONAL_IF_UNCLAIMED_WORDS = (
    "ชื่อ", "เลขประจำตัว", "บัตรประชาชน", "name", "cid", "citizen", "tel",
)  # fmt: skip


@dataclass(frozen=True)
class ColumnContract:
    name: str
    type: str
    headers: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    required: bool = False
    restricted: bool = False
    context: bool = False
    fill_down: bool = False
    maximum: float | None = None

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary.of([self.name, *self.headers], list(self.exclude))


@dataclass(frozen=True)
class TableContract:
    table: str
    columns: tuple[ColumnContract, ...]
    personal_headers: tuple[str, ...] = ()
    required_one_of: tuple[tuple[str, ...], ...] = ()  # each group: at least one must be set
    by_name: dict[str, ColumnContract] = field(default=None, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    def is_personal(self, header: str, *, claimed: bool) -> bool:
        """A header of personal data: listed in the contract, or worded like one."""
        written = header_key(header)
        if written in {header_key(h) for h in self.personal_headers}:
            return True
        words = PERSONAL_HEADER_WORDS + (() if claimed else PERSONAL_IF_UNCLAIMED_WORDS)
        return bool(_personal_words(header, words))


def personal_words(header: str) -> tuple[str, ...]:
    """The words of a header that may name a person ('ชื่อ', 'name'): a column can claim such
    a header only with a phrase that has the word too ('ชื่อหมู่บ้าน', 'village name'), so a
    householder's name never passes for a village's."""
    return _personal_words(header, PERSONAL_IF_UNCLAIMED_WORDS)


def _personal_words(header: str, words: tuple[str, ...]) -> tuple[str, ...]:
    text = " ".join(read_header(header).all_words)
    joined = text.replace(" ", "")
    return tuple(word for word in words if _names(word, text, joined))


def _names(word: str, text: str, joined: str) -> bool:
    if word.isascii():
        return f" {word} " in f" {text} " or (" " not in word and word in text.split())
    return word in joined


@dataclass(frozen=True)
class SourceContract:
    kind: str
    tables: tuple[TableContract, ...]


def _table_from_yaml(spec: dict) -> TableContract:
    for column in spec["columns"]:
        if not all(
            isinstance(h, str) for h in (*column.get("headers", ()), *column.get("exclude", ()))
        ):
            raise ValueError(f"{spec['table']}.{column['name']}: quote every header in the YAML")
    columns = tuple(
        ColumnContract(
            name=c["name"],
            type=c["type"],
            headers=tuple(c.get("headers", ())),
            exclude=tuple(c.get("exclude", ())),
            required=bool(c.get("required", False)),
            restricted=bool(c.get("restricted", False)),
            context=bool(c.get("context", False)),
            fill_down=bool(c.get("fill_down", False)),
            maximum=_maximum(spec["table"], c),
        )
        for c in spec["columns"]
    )
    return TableContract(
        spec["table"],
        columns,
        tuple(spec.get("personal_headers", ())),
        tuple(tuple(group) for group in spec.get("required_one_of", ())),
    )


def _maximum(table: str, column: dict) -> float | None:
    if "maximum" not in column:
        return None
    if column["type"] not in (*AMOUNT_TYPES, "integer"):
        raise ValueError(f"{table}.{column['name']}: a maximum is for numbers only")
    return float(column["maximum"])


@cache
def load_contracts() -> dict[str, SourceContract]:
    """Every source contract, by source kind (the landing sub-folder of that name)."""
    contracts = {}
    for path in sorted(CONTRACTS_DIR.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        tables = tuple(_table_from_yaml(t) for t in spec["tables"])
        contracts[spec["kind"]] = SourceContract(spec["kind"], tables)
    return contracts
