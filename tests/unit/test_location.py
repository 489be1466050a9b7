import pytest

from sources.location import LocationParts, is_composite_location, parse_location


def parts(village=None, moo=None, subdistrict=None, district=None, province=None):
    return LocationParts(village, moo, subdistrict, district, province)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the shapes from the files
        ("บ้านแม่สาน หมู่ 3 ต.ป่าตึง อ.แม่จัน", parts("บ้านแม่สาน", 3, "ป่าตึง", "แม่จัน")),
        ("บ.ดอยงาม ม.๖/สันทราย/ฝาง", parts("บ้านดอยงาม", 6, "สันทราย", "ฝาง")),
        (
            "ห้วยทราย (ม.4) ตำบลแม่นาจร อำเภอแม่แจ่ม จังหวัดเชียงใหม่",
            parts("ห้วยทราย", 4, "แม่นาจร", "แม่แจ่ม", "เชียงใหม่"),
        ),
        (
            "หมู่ที่ 5 บ้านป่าซาง ตำบลเวียงพางคำ อำเภอแม่สาย",
            parts("บ้านป่าซาง", 5, "เวียงพางคำ", "แม่สาย"),
        ),
        ("บ้านสบเมย หมู่ 2", parts("บ้านสบเมย", 2)),
        (
            "บ้านมอโก้คี  ม.๑๖ ต.ปางหินฝน อ.แม่แจ่ม จ.เชียงใหม่",
            parts("บ้านมอโก้คี", 16, "ปางหินฝน", "แม่แจ่ม", "เชียงใหม่"),
        ),
        ("ม.5 ต.ห้วยชมภู อ.เมืองเชียงราย", parts(None, 5, "ห้วยชมภู", "เมืองเชียงราย")),
        (
            "บ้านห้วยไคร้, หมู่ที่ 7, ตำบลโป่งผา, อำเภอแม่สาย, จังหวัดเชียงราย",
            parts("บ้านห้วยไคร้", 7, "โป่งผา", "แม่สาย", "เชียงราย"),
        ),
        ("บ.ห้วยไคร้,ม.7,โป่งผา,แม่สาย", parts("บ้านห้วยไคร้", 7, "โป่งผา", "แม่สาย")),
        (
            "Ban Huai Khrai Moo 7, Tambon Pong Pha, Amphoe Mae Sai, Chiang Rai",
            parts("Ban Huai Khrai", 7, "Pong Pha", "Mae Sai", "Chiang Rai"),
        ),
        (
            "Moo 7 Ban Huai Khrai, Pong Pha, Mae Sai",
            parts("Ban Huai Khrai", 7, "Pong Pha", "Mae Sai"),
        ),
        (
            "Huai Khrai (M.7), T. Pong Pha, A. Mae Sai",
            parts("Huai Khrai", 7, "Pong Pha", "Mae Sai"),
        ),
        ("แม่สาน", parts("แม่สาน")),
        ("อ.เมือง", parts(district="เมือง")),  # resolved elsewhere
        # marker variants
        ("บ้านแม่สาน หมู่ที่ 3", parts("บ้านแม่สาน", 3)),
        ("บ้านแม่สาน หมู่ที่3", parts("บ้านแม่สาน", 3)),
        ("บ้านแม่สาน หมู่3", parts("บ้านแม่สาน", 3)),
        ("บ้านแม่สาน ม. 3", parts("บ้านแม่สาน", 3)),
        ("บ้านแม่สาน ม3", parts("บ้านแม่สาน", 3)),
        ("บ้านแม่สาน ม 3", parts("บ้านแม่สาน", 3)),
        ("บ้านแม่สาน ม.03", parts("บ้านแม่สาน", 3)),
        ("ตำบล ป่าตึง อำเภอ แม่จัน จังหวัด เชียงราย", parts(None, None, "ป่าตึง", "แม่จัน", "เชียงราย")),
        ("ต. ป่าตึง อ. แม่จัน จ. เชียงราย", parts(None, None, "ป่าตึง", "แม่จัน", "เชียงราย")),
        ("บ้านปางมะหัน ม.๒ กิ่งอำเภอดอยหลวง", parts("บ้านปางมะหัน", 2, None, "ดอยหลวง")),
        ("ต.บ้านดู่ อ.เมือง จ.เชียงราย", parts(None, None, "บ้านดู่", "เมือง", "เชียงราย")),
        ("หมู่บ้านสันติสุข ม.9", parts("บ้านสันติสุข", 9)),  # หมู่บ้าน: "village", not a moo
        ("หมู่บ้าน ห้วยทราย หมู่ 4", parts("บ้านห้วยทราย", 4)),
        ("บ้าน ห้วยทราย หมู่ ๔", parts("บ้านห้วยทราย", 4)),
        ("บ. ดอยงาม ม.๖", parts("บ้านดอยงาม", 6)),
        ("ตำบล: ป่าตึง; อำเภอ: แม่จัน", parts(None, None, "ป่าตึง", "แม่จัน")),
        # more mixes
        ("ม.๑๒/สระ/เชียงม่วน", parts(None, 12, "สระ", "เชียงม่วน")),
        ("บ้านห้วยหก ม.๑๒/สระ/เชียงม่วน/พะเยา", parts("บ้านห้วยหก", 12, "สระ", "เชียงม่วน", "พะเยา")),
        (
            "บ้านหนองบัว   ม.๑๐  ต.ท่าก๊อ  อ.แม่สรวย  จ.เชียงราย ๕๗๑๘๐",  # trailing postcode
            parts("บ้านหนองบัว", 10, "ท่าก๊อ", "แม่สรวย", "เชียงราย"),
        ),
        ("ม. ๓ บ้านห้วยหก ต.แม่ยาว", parts("บ้านห้วยหก", 3, "แม่ยาว")),
        ("[ม.3] บ้านห้วยหก", parts("บ้านห้วยหก", 3)),
        ("ต.ป่าตึง แม่จัน เชียงราย", parts(None, None, "ป่าตึง", "แม่จัน", "เชียงราย")),
        ("บ้านแม่สาน 3 ต.ป่าตึง", parts("บ้านแม่สาน", 3, "ป่าตึง")),  # a bare moo after the name
        ("บ้านแม่สานม.3ต.ป่าตึง", parts("บ้านแม่สาน", 3, "ป่าตึง")),  # no spaces
        ("อ.ฝาง ต.แม่งอน บ้านแม่งอนใน", parts("บ้านแม่งอนใน", None, "แม่งอน", "ฝาง")),
        ("บ้านเทอดไทย (หมู่ที่ ๑) ตำบลเทอดไทย", parts("บ้านเทอดไทย", 1, "เทอดไทย")),
        ("บ้านห้วยไคร้ - ม.7 - ต.โป่งผา", parts("บ้านห้วยไคร้", 7, "โป่งผา")),
        ("ดอยงาม/6/สันทราย/ฝาง/เชียงใหม่", parts("ดอยงาม", 6, "สันทราย", "ฝาง", "เชียงใหม่")),
        ("จ.เชียงราย ประเทศไทย", parts(province="เชียงราย")),  # nothing comes after a province
        (
            "Ban Huai Khrai, Pong Pha Subdistrict, Mae Sai District, Chiang Rai Province",
            parts("Ban Huai Khrai", None, "Pong Pha", "Mae Sai", "Chiang Rai"),
        ),
        (
            "Baan Pa Sang Village No. 5, Sub-district Wiang Phang Kham, Prov. Chiang Rai",
            parts("Baan Pa Sang", 5, "Wiang Phang Kham", None, "Chiang Rai"),
        ),
        ("Moo 3 Tambon Pa Tueng Amphoe Mae Chan", parts(None, 3, "Pa Tueng", "Mae Chan")),
        (
            "Mae Salong Nai M. 1, Tambol Mae Salong Nok",
            parts("Mae Salong Nai", 1, "Mae Salong Nok"),
        ),
        ("Amphur Fang, Changwat Chiang Mai", parts(None, None, None, "Fang", "Chiang Mai")),
        ("Ban Huai Khrai Mu 7, Mae Sai District", parts("Ban Huai Khrai", 7, None, "Mae Sai")),
        ("Huai Khrai, moo7", parts("Huai Khrai", 7)),
        ("บ้านห้วยไคร้ Moo 7, T. Pong Pha", parts("บ้านห้วยไคร้", 7, "Pong Pha")),
        # moo numbers outside 1..99 are not moos
        ("บ้านแม่สาน หมู่ 0 ต.ป่าตึง", parts("บ้านแม่สาน", None, "ป่าตึง")),
        ("บ้านแม่สาน ม.150", parts("บ้านแม่สาน")),
        # markers without a value
        ("หมู่ที่", parts()),
        ("ม.", parts()),
        ("ต. อ. จ.", parts()),
        ("Moo", parts()),
        ("บ้านแม่สาน ต.", parts("บ้านแม่สาน")),
        ("บ้านแม่สาน ม. ต.ป่าตึง", parts("บ้านแม่สาน", None, "ป่าตึง")),
        ("บ.", parts()),
        (",", parts()),
        # plain names
        ("ห้วยทราย", parts("ห้วยทราย")),
        ("บ้านห้วยไคร้", parts("บ้านห้วยไคร้")),
        ("บ.ห้วยไคร้", parts("บ้านห้วยไคร้")),
        ("(แม่สาน)", parts("แม่สาน")),
        ("Ban Huai Khrai", parts("Ban Huai Khrai")),
        ("บ้านแม่สาน ใหม่", parts("บ้านแม่สาน ใหม่")),  # no marker, no separator: one name
    ],
)
def test_parse_location(text, expected):
    assert parse_location(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "\u200b", "\u00a0\t"])
def test_parse_location_blank(text):
    assert parse_location(text) is None


@pytest.mark.parametrize("text", [5, 3.0, "ม.ม.ม.", "////", "หมู่ที่ ๑๒๓๔๕", "((ต.)", "ม.-1"])
def test_parse_location_never_raises(text):
    assert isinstance(parse_location(text), LocationParts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("บ้านสบเมย หมู่ 2", True),
        ("ม.5 ต.ห้วยชมภู", True),
        ("บ.ดอยงาม ม.๖/สันทราย/ฝาง", True),
        ("ห้วยทราย (ม.4)", True),
        ("ต.ป่าตึง อ.แม่จัน", True),
        ("Huai Khrai (M.7)", True),
        ("สันทราย/ฝาง", True),
        ("แม่สาน", False),
        ("บ้านแม่สาน", False),
        ("บ้านแม่สาน ใหม่", False),
        ("ต.ป่าตึง", False),
        ("ม.5", False),
        ("บ้านแม่สาน ม.150", False),
        ("หมู่ที่", False),
        ("", False),
        (None, False),
    ],
)
def test_is_composite_location(text, expected):
    assert is_composite_location(text) is expected
