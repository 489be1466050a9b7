"""Village references resolved against the real geothai data: expected codes come from geothai."""

import geothai
import pytest
import yaml
from geothai.abolished import abolished_areas, match_abolished

from sources.normalize import normalize_code
from sources.programme_seeds import programme_province_codes
from sources.resolve import (
    CODE_LENGTHS,
    DEFAULT_ALIASES_PATH,
    GeographyResolver,
    Resolution,
    VillageReference,
)

PROVINCES = programme_province_codes()


@pytest.fixture(scope="module")
def resolver() -> GeographyResolver:
    return GeographyResolver(PROVINCES)


def only_subdistrict(subdistrict: str, *, district: str | None = None, province: str) -> str:
    """The one subdistrict code geothai gives for a name."""
    (found,) = geothai.match(subdistrict, district=district, province=province)
    return found.subdistrict.code


def unresolved(resolution: Resolution) -> bool:
    return (
        not resolution.resolved
        and resolution.village_code is None
        and resolution.method is None
        and bool(resolution.reason)
    )


WIANG_PHANG_KHAM = only_subdistrict("เวียงพางคำ", district="แม่สาย", province="เชียงราย")
PONG_PHA = only_subdistrict("โป่งผา", district="แม่สาย", province="เชียงราย")


def test_plain_code(resolver):
    result = resolver.resolve(VillageReference(village_code=f"{WIANG_PHANG_KHAM}05"))
    assert result == Resolution(f"{WIANG_PHANG_KHAM}05", "code", None)
    assert result.resolved


def test_code_written_with_thai_digits_once_the_caller_normalised_it(resolver):
    thai = f"{WIANG_PHANG_KHAM}05".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    code = normalize_code(thai, 8)
    assert resolver.resolve(VillageReference(village_code=code)).village_code == code


def test_prefixed_thai_names(resolver):
    reference = VillageReference(
        province="จ.เชียงราย", district="อ.แม่สาย", subdistrict="ต.เวียงพางคำ", moo=5
    )
    expected = only_subdistrict("ต.เวียงพางคำ", district="อ.แม่สาย", province="จ.เชียงราย")
    assert resolver.resolve(reference) == Resolution(f"{expected}05", "names", None)


@pytest.mark.parametrize("tambon", ["Tha Ton", "Thaton", "tha-ton", "THA  TON", "ต. ท่าตอน"])
def test_english_names_and_spacing_variants(resolver, tambon):
    expected = only_subdistrict("ท่าตอน", district="แม่อาย", province="เชียงใหม่")
    reference = VillageReference(
        province="Chiang Mai", district="Mae Ai", subdistrict=tambon, moo=3
    )
    assert resolver.resolve(reference) == Resolution(f"{expected}03", "names", None)


def test_tambon_name_that_begins_with_ban(resolver):
    """clean_place_name strips "บ้าน"; a tambon named "บ้านดู่" must still match."""
    expected = only_subdistrict("บ้านดู่", province="เชียงราย")
    for written in ("บ้านดู่", "ต.บ้านดู่", "Ban Du"):
        reference = VillageReference(subdistrict=written, moo=2)
        assert resolver.resolve(reference).village_code == f"{expected}02"


@pytest.mark.parametrize("district", ["อ.เมือง", "เมือง", "Mueang", "อำเภอเมืองพะเยา"])
def test_capital_district(resolver, district):
    expected = only_subdistrict("เวียง", district="เมือง", province="พะเยา")
    assert expected.startswith("5601")
    reference = VillageReference(province="พะเยา", district=district, subdistrict="ต.เวียง", moo=1)
    assert resolver.resolve(reference) == Resolution(f"{expected}01", "names", None)


def test_province_given_as_code(resolver):
    reference = VillageReference(province="57", district="แม่สาย", subdistrict="เวียงพางคำ", moo=5)
    assert resolver.resolve(reference).village_code == f"{WIANG_PHANG_KHAM}05"


def renumbered_with_one_successor():
    return next(
        a
        for a in abolished_areas()
        if a.level == "subdistrict"
        and a.code[:2] in PROVINCES
        and len(a.successors) == 1
        and a.successors_basis == "notice"
    )


def test_renumbered_code_with_one_successor(resolver):
    old = renumbered_with_one_successor()
    assert geothai.subdistrict(old.code) is None
    result = resolver.resolve(VillageReference(village_code=f"{old.code}03"))
    assert result == Resolution(f"{old.successors[0]}03", "renumbered_code", None)


def test_renumbered_code_agrees_with_the_old_names(resolver):
    """A row may name the old district of an old code: no conflict."""
    old = renumbered_with_one_successor()
    old_district = geothai.district(old.code[:4])
    reference = VillageReference(
        village_code=f"{old.code}03", district=old_district.name_th, subdistrict=old.name_th
    )
    assert resolver.resolve(reference).village_code == f"{old.successors[0]}03"


def test_old_tambon_name_in_its_old_district(resolver):
    old = renumbered_with_one_successor()
    old_district = geothai.district(old.code[:4]).name_th
    assert not geothai.match(old.name_th, district=old_district)
    assert match_abolished(old.name_th, district=old_district) == [old]
    reference = VillageReference(district=old_district, subdistrict=old.name_th, moo=2)
    assert resolver.resolve(reference) == Resolution(
        f"{old.successors[0]}02", "renumbered_code", None
    )


def test_code_split_into_several_subdistricts():
    """None in the programme provinces: Bangkok's แขวงบางนา was split in two."""
    (old,) = match_abolished("แขวงบางนา", district="เขตบางนา", province="กทม")
    assert len(old.successors) == 2
    bangkok = GeographyResolver(["10"])

    split = bangkok.resolve(VillageReference(village_code=f"{old.code}01"))
    assert unresolved(split)
    assert split.candidates == old.successors

    south = only_subdistrict("บางนาใต้", province="กทม")
    picked = bangkok.resolve(VillageReference(village_code=f"{old.code}01", subdistrict="บางนาใต้"))
    assert picked == Resolution(f"{south}01", "renumbered_code", None)


def test_ambiguous_tambon_name(resolver):
    result = resolver.resolve(VillageReference(province="เชียงราย", subdistrict="เวียง", moo=1))
    assert unresolved(result)
    assert "ambiguous" in result.reason
    assert len(result.candidates) >= 2
    assert result.candidates == tuple(
        a.subdistrict.code for a in geothai.match("เวียง", province="เชียงราย")
    )


def test_same_english_name_for_two_tambons_is_ambiguous(resolver):
    """แม่คะ and แม่ข่า in Fang are both "Mae Kha" in English."""
    result = resolver.resolve(VillageReference(district="Fang", subdistrict="Mae Kha", moo=1))
    assert unresolved(result)
    assert result.candidates == tuple(
        a.subdistrict.code for a in geothai.match("Mae Kha", district="ฝาง")
    )


def test_unknown_tambon(resolver):
    reference = VillageReference(province="เชียงราย", subdistrict="ต.ไม่มีจริง", moo=1)
    result = resolver.resolve(reference)
    assert unresolved(result)
    assert "unknown subdistrict 'ไม่มีจริง'" in result.reason
    assert result.candidates == ()


def test_tambon_in_another_district_lists_it(resolver):
    reference = VillageReference(district="แม่จัน", subdistrict="เวียงพางคำ", moo=1)
    result = resolver.resolve(reference)
    assert unresolved(result)
    assert "unknown subdistrict" in result.reason
    assert result.candidates == (WIANG_PHANG_KHAM,)


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        (VillageReference(province="ลำปาง", subdistrict="เวียงเหนือ", moo=1), "unknown province"),
        (VillageReference(district="ไม่มีจริง", subdistrict="เวียง", moo=1), "unknown district"),
        (VillageReference(district="แม่สาย", moo=1), "no subdistrict name"),
        (VillageReference(village_code="57029901"), "unknown subdistrict code 570299"),  # none
        (VillageReference(village_code="52010101"), "outside the programme"),
        (VillageReference(village_code="5709060"), "not 8 digits"),
        (VillageReference(village_code=f"{WIANG_PHANG_KHAM}00"), "moo 00"),
    ],
)
def test_unresolvable_references(resolver, reference, reason):
    result = resolver.resolve(reference)
    assert unresolved(result)
    assert reason in result.reason


def test_missing_moo(resolver):
    reference = VillageReference(district="อ.แม่สาย", subdistrict="ต.เวียงพางคำ")
    result = resolver.resolve(reference)
    assert unresolved(result)
    assert "no moo number" in result.reason
    assert result.candidates == (WIANG_PHANG_KHAM,)


def test_code_and_names_agree(resolver):
    reference = VillageReference(
        village_code=f"{WIANG_PHANG_KHAM}05",
        province="Chiang Rai",
        district="อ.แม่สาย",
        subdistrict="ต.เวียงพางคำ",
        moo=5,
    )
    assert resolver.resolve(reference) == Resolution(f"{WIANG_PHANG_KHAM}05", "code", None)


def test_code_and_subdistrict_name_conflict(resolver):
    code = f"{WIANG_PHANG_KHAM}05"
    result = resolver.resolve(VillageReference(village_code=code, subdistrict="ต.โป่งผา"))
    assert unresolved(result)
    assert result.reason == f"code {code} is in ต.เวียงพางคำ but the row says ต.โป่งผา"
    assert result.candidates == tuple(sorted((WIANG_PHANG_KHAM, PONG_PHA)))


@pytest.mark.parametrize(
    "reference",
    [
        VillageReference(village_code=f"{WIANG_PHANG_KHAM}05", district="อ.แม่จัน"),
        VillageReference(village_code=f"{WIANG_PHANG_KHAM}05", province="เชียงใหม่"),
        VillageReference(village_code=f"{WIANG_PHANG_KHAM}05", moo=6),
    ],
)
def test_code_conflicts_with_district_province_or_moo(resolver, reference):
    result = resolver.resolve(reference)
    assert unresolved(result)
    assert WIANG_PHANG_KHAM in result.candidates


def test_alias_resolution(resolver):
    (mae_wang,) = [d for d in geothai.districts("50") if d.name_th == "แม่วาง"]
    (thung_pi,) = [s for s in geothai.subdistricts(mae_wang.code) if s.name_en == "Thung Pi"]
    reference = VillageReference(district="แม่วาง", subdistrict="ทุ่งปี้", moo=4)
    assert resolver.resolve(reference) == Resolution(f"{thung_pi.code}04", "alias", None)

    mueang = only_subdistrict("รอบเวียง", district="เมือง", province="เชียงราย")
    reference = VillageReference(province="ชร.", district="Muang", subdistrict="Rop Wiang", moo=3)
    assert resolver.resolve(reference) == Resolution(f"{mueang}03", "alias", None)


def alias_entries() -> list[tuple[str, str, str]]:
    data = yaml.safe_load(DEFAULT_ALIASES_PATH.read_text(encoding="utf-8"))
    return [(level, str(e["alias"]), str(e["code"])) for level in data for e in data[level]]


@pytest.mark.parametrize(("level", "alias", "code"), alias_entries())
def test_every_alias_code_is_a_current_code_in_the_programme(level, alias, code):
    find = {"province": geothai.province, "district": geothai.district}
    area = find.get(level, geothai.subdistrict)(code)
    assert area is not None, f"{level} alias {alias!r}: {code} is not a current code"
    assert len(code) == CODE_LENGTHS[level]
    assert code[:2] in PROVINCES


@pytest.mark.parametrize(("level", "alias", "code"), alias_entries())
def test_every_alias_is_used(resolver, level, alias, code):
    """An alias that is already an official name would never be read: each one must resolve."""
    first = next(
        s
        for d in geothai.districts(code[:2])
        for s in geothai.subdistricts(d.code)
        if s.code.startswith(code)
    )
    names = {"province": code[:2], "district": first.district_code, "subdistrict": first.name_th}
    names[level] = alias
    result = resolver.resolve(VillageReference(**names, moo=1))
    assert result == Resolution(f"{first.code}01", "alias", None)


def test_alias_file_with_a_wrong_code_is_refused(tmp_path):
    path = tmp_path / "aliases.yml"
    path.write_text('district:\n  - {alias: "Mae Suay", code: "5799"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="5799 is not a current code"):
        GeographyResolver(PROVINCES, path)


def test_resolutions_are_memoised(resolver):
    reference = VillageReference(province="เชียงราย", district="แม่สาย", subdistrict="โป่งผา", moo=2)
    assert resolver.resolve(reference) is resolver.resolve(VillageReference(**vars(reference)))
