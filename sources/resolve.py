"""Resolve a village reference from an agency file to its official 8-digit DOPA village code.

There is no official list of villages: a village code is its subdistrict (tambon) code followed
by its 2-digit moo number, so resolving a village means resolving its tambon. Nothing is guessed:
a reference that does not lead to exactly one tambon stays unresolved, with a reason for a person
and the candidate tambon codes that were considered.

Data: GeoThai (https://github.com/GeoThai/data), CC BY 4.0, from the Department of Provincial
Administration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geothai
import yaml
from geothai.abolished import abolished_areas
from geothai.types import District, Province, Subdistrict

from sources.normalize import clean_place_name, clean_text, thai_digits_to_arabic

DEFAULT_ALIASES_PATH = Path(__file__).with_name("aliases.yml")

LEVELS = ("province", "district", "subdistrict")
CODE_LENGTHS = {"province": 2, "district": 4, "subdistrict": 6}
_THAI_PREFIXES = {"province": "จ.", "district": "อ.", "subdistrict": "ต."}
_FIND_CURRENT = {
    "province": geothai.province,
    "district": geothai.district,
    "subdistrict": geothai.subdistrict,
}
# How people write the capital district ("อ.เมือง") without the province's name.
_CAPITAL_DISTRICT_NAMES = ("เมือง", "mueang")
_MARKS = re.compile(r"[\s.'\-]")

Area = Province | District | Subdistrict


@dataclass(frozen=True)
class VillageReference:
    village_code: str | None = None  # already normalised to 8 digits, or None
    province: str | None = None  # as written in the file (any prefix, Thai or English), or a code
    district: str | None = None
    subdistrict: str | None = None
    moo: int | None = None


@dataclass(frozen=True)
class Resolution:
    village_code: str | None  # 8 digits when resolved, else None
    method: str | None  # "code", "renumbered_code", "names", "alias"; None when unresolved
    reason: str | None  # None when resolved, else a short sentence for a person
    candidates: tuple[str, ...] = ()  # 6-digit subdistrict codes considered, when not resolved
    # When the reference names no moo or no subdistrict, the smallest area it does name (a
    # province, district or subdistrict code): the village's name may still find it there.
    area_code: str | None = None

    @property
    def resolved(self) -> bool:
        return self.village_code is not None


@dataclass(frozen=True)
class _Tambon:
    """The subdistrict a reference leads to, or why it leads to none."""

    code: str | None
    method: str | None = None
    reason: str | None = None
    candidates: tuple[str, ...] = ()


def _key(text: str) -> str:
    """A name in the form names are compared in: no spaces, dots, hyphens or case.

    Two Thai typing slips are undone too: "เเ" (two sara e) for "แ", and sara am typed as
    nikhahit + sara aa, which NFC does not compose.
    """
    text = _MARKS.sub("", thai_digits_to_arabic(text) or "").lower()
    return text.replace("เเ", "แ").replace("\u0e4d\u0e32", "\u0e33")


def _keys(name: str) -> set[str]:
    """Keys of a name as written, with and without its prefix.

    Both are kept because ``clean_place_name`` also strips "บ้าน", which begins many tambon
    names ("บ้านดู่"): the name as written must still match them.
    """
    return {_key(name), _key(clean_place_name(name) or name)} - {""}


def village_name_key(name: str | None) -> str | None:
    """A village name as villages are matched by name: without its บ้าน/บ. prefix, spaces,
    dots, hyphens or case ('บ้านแม่ตอละ', 'บ.แม่ตอละ' and 'แม่ตอละ' are one village)."""
    text = clean_text(name)
    if text is None:
        return None
    return _key(clean_place_name(text) or text) or None


def _display(name: str) -> str:
    """A name for a reason: without its ต./อ./จ. prefix, but "บ้านดู่" stays whole."""
    return name if name.startswith(("บ้าน", "บ.")) else clean_place_name(name) or name


def _inside(code: str, within: set[str] | None) -> bool:
    return within is None or any(code.startswith(parent) for parent in within)


class _Names:
    """Names of one level (key -> codes): official ones, and aliases consulted separately."""

    def __init__(self) -> None:
        self.official: dict[str, set[str]] = {}
        self.aliases: dict[str, set[str]] = {}

    def add(self, name: str, code: str) -> None:
        self.official.setdefault(_key(name), set()).add(code)

    def find(self, name: str, within: set[str] | None = None, *, alias: bool = False) -> set[str]:
        """Codes whose official name (or alias) matches ``name``, inside the ``within`` codes."""
        table = self.aliases if alias else self.official
        return {c for k in _keys(name) for c in table.get(k, ()) if _inside(c, within)}

    def find_with_alias(self, name: str, within: set[str] | None = None) -> tuple[set[str], bool]:
        """Codes by official name, else by alias; and whether an alias was used."""
        found = self.find(name, within)
        return (found, False) if found else (self.find(name, within, alias=True), True)


class GeographyResolver:
    """Resolves village references inside the given provinces, memoising each reference."""

    def __init__(self, province_codes: list[str], aliases_path: Path = DEFAULT_ALIASES_PATH):
        self._province_codes = set(province_codes)
        self._areas: dict[str, Area] = {}
        self._names = {level: _Names() for level in LEVELS}
        for code in province_codes:
            province = geothai.province(code)
            if province is None:
                raise ValueError(f"unknown province code {code!r}")
            self._add("province", province)
            for district in geothai.districts(code):
                self._add("district", district)
                if district.code.endswith("01") and code != "10":  # Bangkok has no capital
                    for name in _CAPITAL_DISTRICT_NAMES:
                        self._names["district"].add(name, district.code)
                for subdistrict in geothai.subdistricts(district.code):
                    self._add("subdistrict", subdistrict)
        self._abolished_names = _Names()
        self._successors: dict[str, tuple[str, ...]] = {}
        for area in abolished_areas():
            if area.level == "subdistrict" and area.code[:2] in self._province_codes:
                self._successors[area.code] = area.successors
                for name in (area.name_th, area.name_en):
                    if name:
                        self._abolished_names.add(name, area.code)
        self._load_aliases(aliases_path)
        self._cache: dict[VillageReference, Resolution] = {}

    def _add(self, level: str, area: Area) -> None:
        self._areas[area.code] = area
        for name in (area.name_th, area.name_en, area.code):
            self._names[level].add(name, area.code)

    def _load_aliases(self, path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        unknown_levels = set(data) - set(LEVELS)
        if unknown_levels:
            raise ValueError(f"{path}: unknown levels {sorted(unknown_levels)}, use {LEVELS}")
        for level in LEVELS:
            for entry in data.get(level) or []:
                alias, code = str(entry["alias"]), str(entry["code"])
                if _FIND_CURRENT[level](code) is None:
                    raise ValueError(
                        f"{path}: {level} alias {alias!r}: {code} is not a current code"
                    )
                if code[:2] in self._province_codes:
                    self._names[level].aliases.setdefault(_key(alias), set()).add(code)

    def resolve(self, reference: VillageReference) -> Resolution:
        resolution = self._cache.get(reference)
        if resolution is None:
            resolution = self._cache[reference] = self._resolve(reference)
        return resolution

    def _resolve(self, reference: VillageReference) -> Resolution:
        ref = VillageReference(
            clean_text(reference.village_code),
            clean_text(reference.province),
            clean_text(reference.district),
            clean_text(reference.subdistrict),
            reference.moo,
        )
        if ref.village_code is not None:
            return self._resolve_code(ref, ref.village_code)
        if ref.subdistrict is None:
            reason = "no village code and no subdistrict name"
            return Resolution(None, None, reason, area_code=self._area_without_subdistrict(ref))
        tambon = self._tambon_by_names(ref)
        if tambon.code is None:
            return Resolution(None, None, tambon.reason, tambon.candidates)
        if ref.moo is None:
            reason = f"no moo number for ต.{self._areas[tambon.code].name_th} ({tambon.code})"
            return Resolution(None, None, reason, (tambon.code,), area_code=tambon.code)
        if not 1 <= ref.moo <= 99:
            return Resolution(
                None, None, f"invalid moo number {ref.moo}: must be 1-99", (tambon.code,)
            )
        return Resolution(f"{tambon.code}{ref.moo:02d}", tambon.method, None)

    def _area_without_subdistrict(self, ref: VillageReference) -> str | None:
        """The district (or else the province) a reference names, if it names one only."""
        provinces = None
        if ref.province is not None:
            provinces, _ = self._names["province"].find_with_alias(ref.province)
            if len(provinces) != 1:
                return None
        if ref.district is not None:
            districts, _ = self._names["district"].find_with_alias(ref.district, provinces)
            if len(districts) == 1:
                return next(iter(districts))
        return next(iter(provinces)) if provinces else None

    def _resolve_code(self, ref: VillageReference, code: str) -> Resolution:
        if not re.fullmatch(r"\d{8}", code):
            return Resolution(None, None, "an invalid village code: not 8 digits")
        if code.endswith("00"):
            return Resolution(None, None, f"invalid village code {code}: moo 00")
        tambon = self._tambon_by_code(code[:6], ref)
        if tambon.code is None:
            return Resolution(None, None, tambon.reason, tambon.candidates)
        if ref.moo is not None and ref.moo != int(code[6:]):
            reason = f"code {code} is moo {int(code[6:])} but the row says moo {ref.moo}"
            return Resolution(None, None, reason, (tambon.code,))
        return self._name_conflict(ref, code, tambon.code) or Resolution(
            tambon.code + code[6:], tambon.method, None
        )

    def _tambon_by_code(self, code: str, ref: VillageReference) -> _Tambon:
        if code in self._areas:
            return _Tambon(code, "code")
        successors = self._successors.get(code)
        if successors is None:
            current = geothai.subdistrict(code)
            if current is None:
                return _Tambon(None, reason=f"unknown subdistrict code {code}")
            province = geothai.province(current.province_code)
            where = f"{current.name_en}, {province.name_en}" if province else current.name_en
            return _Tambon(
                None, reason=f"subdistrict code {code} ({where}) is outside the programme"
            )
        if len(successors) == 1:
            return _Tambon(successors[0], "renumbered_code")
        if not successors:
            return _Tambon(None, reason=f"subdistrict code {code} was abolished, successor unknown")
        if ref.subdistrict is not None:
            picked, via_alias = self._names["subdistrict"].find_with_alias(
                ref.subdistrict, set(successors)
            )
            if len(picked) == 1:
                return _Tambon(picked.pop(), "alias" if via_alias else "renumbered_code")
        reason = (
            f"subdistrict code {code} was split into {', '.join(successors)}"
            " and the row's subdistrict name does not pick one"
        )
        return _Tambon(None, reason=reason, candidates=successors)

    def _name_conflict(self, ref: VillageReference, code: str, tambon: str) -> Resolution | None:
        """An unresolved resolution if a name in the row clearly names another area than the code.

        A name matches the area of the code as written or of its renumbered successor. Names that
        are missing or that match no area at all do not conflict.
        """
        for level, name in zip(LEVELS, (ref.province, ref.district, ref.subdistrict), strict=True):
            if name is None:
                continue
            named, _ = self._names[level].find_with_alias(name)
            if level == "subdistrict":  # an old name, with the code as written or renumbered
                old_codes = self._abolished_names.find(name)
                named |= old_codes | {s for old in old_codes for s in self._successors[old]}
            length = CODE_LENGTHS[level]
            if not named or {code[:length], tambon[:length]} & named:
                continue
            by_names = self._tambon_by_names(ref)
            others = (by_names.code,) if by_names.code else by_names.candidates
            prefix = _THAI_PREFIXES[level]
            reason = (
                f"code {code} is in {prefix}{self._areas[tambon[:length]].name_th}"
                f" but the row says {prefix}{_display(name)}"
            )
            return Resolution(None, None, reason, tuple(sorted({tambon, *others})))
        return None

    def _tambon_by_names(self, ref: VillageReference) -> _Tambon:
        if ref.subdistrict is None:
            return _Tambon(None, reason="no village code and no subdistrict name")
        via_alias = False
        provinces = None
        if ref.province is not None:
            provinces, via_alias = self._names["province"].find_with_alias(ref.province)
            if not provinces:
                reason = f"unknown province '{_display(ref.province)}': not a programme province"
                return _Tambon(None, reason=reason)
        districts = None
        if ref.district is not None:
            districts, alias = self._names["district"].find_with_alias(ref.district, provinces)
            via_alias |= alias
            if not districts:
                reason = f"unknown district '{_display(ref.district)}' {self._scope(provinces)}"
                same_name = self._names["subdistrict"].find(ref.subdistrict, provinces)
                return _Tambon(None, reason=reason, candidates=tuple(sorted(same_name)))
        within = districts or provinces
        name = _display(ref.subdistrict)
        names = self._names["subdistrict"]
        found, method = names.find(ref.subdistrict, within), "names"
        if not found:
            old_codes = self._abolished_names.find(ref.subdistrict, within)
            found = {s for old in old_codes for s in self._successors[old]}
            method = "renumbered_code"
        if not found:
            found, method = names.find(ref.subdistrict, within, alias=True), "alias"
        if len(found) == 1:
            return _Tambon(found.pop(), "alias" if via_alias else method)
        if found:
            reason = (
                f"ambiguous subdistrict '{name}' {self._scope(within)}: {len(found)} candidates"
            )
            return _Tambon(None, reason=reason, candidates=tuple(sorted(found)))
        elsewhere = names.find(ref.subdistrict)
        reason = f"unknown subdistrict '{name}' {self._scope(within)}"
        if elsewhere:
            reason += f"; {len(elsewhere)} of that name elsewhere in the programme"
        return _Tambon(None, reason=reason, candidates=tuple(sorted(elsewhere)))

    def _scope(self, within: set[str] | None) -> str:
        """Where a name was looked for, in English: "in Mae Sai, Chiang Rai"."""
        if within is None:
            return "in the programme provinces"
        places = []
        for code in sorted(within):
            area = self._areas[code]
            if isinstance(area, District):
                places.append(f"{area.name_en}, {self._areas[code[:2]].name_en}")
            else:
                places.append(area.name_en)
        return "in " + " or ".join(places)
