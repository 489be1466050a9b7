"""Source contracts: what each kind of landing file holds, declared as data in ``contracts/``.

A contract lists, per warehouse table, the columns with the header variants seen in the wild,
their type (see ``sources.ingest.PARSERS``) and whether a row needs them. Headers that name
personal data the warehouse must never hold (names, phones, addresses) are listed so they are
recognised and dropped rather than reported as unknown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONTRACTS_DIR = Path(__file__).parent / "contracts"


def header_key(header: str) -> str:
    """A header as compared: NFC, lower case, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", header)).lower()


@dataclass(frozen=True)
class ColumnContract:
    name: str
    type: str
    headers: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class TableContract:
    table: str
    columns: tuple[ColumnContract, ...]
    personal_headers: tuple[str, ...] = ()

    def match_header(self, header: str) -> ColumnContract | None:
        """The column a header names, tolerating units in brackets and group paths."""
        key = header_key(header)
        candidates = [key, re.sub(r"\(.*?\)$", "", key)]
        if "/" in key or "-" in key:  # Kobo 'group/field', ODK 'group-field'
            candidates.append(re.split(r"[/\-]", key)[-1])
        for candidate in candidates:
            for column in self.columns:
                if candidate in self._keys(column):
                    return column
        return None

    def is_personal(self, header: str) -> bool:
        key = header_key(header)
        leaf = re.split(r"[/\-]", key)[-1]
        personal = {header_key(h) for h in self.personal_headers}
        return key in personal or leaf in personal

    @staticmethod
    @cache
    def _keys(column: ColumnContract) -> frozenset[str]:
        return frozenset(header_key(h) for h in (column.name, *column.headers))


@dataclass(frozen=True)
class SourceContract:
    kind: str
    tables: tuple[TableContract, ...]


def _table_from_yaml(spec: dict) -> TableContract:
    for column in spec["columns"]:
        if not all(isinstance(h, str) for h in column.get("headers", ())):
            raise ValueError(f"{spec['table']}.{column['name']}: quote every header in the YAML")
    columns = tuple(
        ColumnContract(
            name=c["name"],
            type=c["type"],
            headers=tuple(c.get("headers", ())),
            required=bool(c.get("required", False)),
        )
        for c in spec["columns"]
    )
    return TableContract(spec["table"], columns, tuple(spec.get("personal_headers", ())))


@cache
def load_contracts() -> dict[str, SourceContract]:
    """Every source contract, by source kind (the landing sub-folder of that name)."""
    contracts = {}
    for path in sorted(CONTRACTS_DIR.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        tables = tuple(_table_from_yaml(t) for t in spec["tables"])
        contracts[spec["kind"]] = SourceContract(spec["kind"], tables)
    return contracts
