import pytest
import yaml

from sources import agencies
from sources.agencies import VOCABULARY_PATH, canonical_agency_name

VOCABULARY = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
PROVINCES = {"50": "เชียงใหม่", "56": "พะเยา", "57": "เชียงราย", "58": "แม่ฮ่องสอน"}

PCD_CM = "สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่"
MFLF = "มูลนิธิแม่ฟ้าหลวง ในพระบรมราชูปถัมภ์"
PIDTHONG = "สถาบันส่งเสริมและพัฒนาปิดทองหลังพระ สืบสานแนวพระราชดำริ"
RAKKAEW = "มูลนิธิรากแก้ว"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("พช.เชียงใหม่", PCD_CM),
        ("พช.จ.เชียงใหม่", PCD_CM),
        ("สนง.พัฒนาชุมชนจังหวัดเชียงใหม่", PCD_CM),
        ("พัฒนาชุมชนจังหวัดเชียงใหม่", PCD_CM),
        ("สำนักงานพัฒนาชุมชน จ.ชม.", PCD_CM),
        ("ปศุสัตว์ ชร", "สำนักงานปศุสัตว์จังหวัดเชียงราย"),
        ("สนง.ปศุสัตว์จังหวัดเชียงราย", "สำนักงานปศุสัตว์จังหวัดเชียงราย"),
        ("ปศุสัตว์จังหวัดเชียงราย", "สำนักงานปศุสัตว์จังหวัดเชียงราย"),
        ("สสจ.พะเยา", "สำนักงานสาธารณสุขจังหวัดพะเยา"),
        ("สสจ.พย.", "สำนักงานสาธารณสุขจังหวัดพะเยา"),
        ("เกษตรจังหวัดแม่ฮ่องสอน", "สำนักงานเกษตรจังหวัดแม่ฮ่องสอน"),
        ("สนง.เกษตร มส.", "สำนักงานเกษตรจังหวัดแม่ฮ่องสอน"),
    ],
)
def test_examples_of_the_brief(text, expected):
    assert canonical_agency_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("พ.ช. เชียงใหม่", PCD_CM),
        ("  พช.   เชียงใหม่  ", PCD_CM),
        ("พช. Chiang Mai", PCD_CM),
        ("พช.จ.Chiangmai", PCD_CM),
        ("สสจ. ชม.", "สำนักงานสาธารณสุขจังหวัดเชียงใหม่"),
        ("สาธารณสุข\u00a0จ.พะเยา", "สำนักงานสาธารณสุขจังหวัดพะเยา"),
        ("สํานักงานเกษตรจังหวัดเชียงราย", "สำนักงานเกษตรจังหวัดเชียงราย"),  # ํา for ำ
        ("กษ.Phayao", "สำนักงานเกษตรจังหวัดพะเยา"),
        ("เกษตรและสหกรณ์จังหวัดเชียงใหม่", "สำนักงานเกษตรและสหกรณ์จังหวัดเชียงใหม่"),
        ("ปศ.มส", "สำนักงานปศุสัตว์จังหวัดแม่ฮ่องสอน"),
        ("ประมงจังหวัด ชม.", "สำนักงานประมงจังหวัดเชียงใหม่"),
        ("สนง.ประมง จ.พะเยา", "สำนักงานประมงจังหวัดพะเยา"),
        ("สพด.เชียงราย", "สถานีพัฒนาที่ดินเชียงราย"),
        ("สถานีพัฒนาที่ดินจังหวัดพะเยา", "สถานีพัฒนาที่ดินพะเยา"),
        ("ปภ.พะเยา", "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดพะเยา"),
        ("ปภ.จ.ชร.", "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดเชียงราย"),
        ("พมจ.แม่ฮ่องสอน", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดแม่ฮ่องสอน"),
        ("พม.จ.เชียงใหม่", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงใหม่"),
        ("สกร.จังหวัดพะเยา", "สำนักงานส่งเสริมการเรียนรู้จังหวัดพะเยา"),
        ("กศน.จ.เชียงราย", "สำนักงานส่งเสริมการเรียนรู้จังหวัดเชียงราย"),
        ("สำนักงาน กศน.จังหวัดแม่ฮ่องสอน", "สำนักงานส่งเสริมการเรียนรู้จังหวัดแม่ฮ่องสอน"),
        ("สถจ.ชม", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเชียงใหม่"),
        ("ท้องถิ่นจังหวัดพะเยา", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดพะเยา"),
        ("ทสจ.เชียงราย", "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดเชียงราย"),
        ("ทส.จ. มส.", "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดแม่ฮ่องสอน"),
        ("สนง.แรงงาน จ.พย.", "สำนักงานแรงงานจังหวัดพะเยา"),
        ("จัดหางานจังหวัดเชียงใหม่", "สำนักงานจัดหางานจังหวัดเชียงใหม่"),
        ("สกจ.ชร.", "สำนักงานสหกรณ์จังหวัดเชียงราย"),
        ("สหกรณ์จังหวัด แม่ฮ่องสอน", "สำนักงานสหกรณ์จังหวัดแม่ฮ่องสอน"),
        ("ศอ.ปส.จ.เชียงราย", "ศูนย์อำนวยการป้องกันและปราบปรามยาเสพติดจังหวัดเชียงราย"),
        ("ศอ.ปส.จ. ชร.", "ศูนย์อำนวยการป้องกันและปราบปรามยาเสพติดจังหวัดเชียงราย"),
        ("ชป.เชียงใหม่", "โครงการชลประทานเชียงใหม่"),
        ("ชลประทาน พย.", "โครงการชลประทานพะเยา"),
        ("โครงการชลประทานจังหวัดแม่ฮ่องสอน", "โครงการชลประทานแม่ฮ่องสอน"),
        ("สำนักงานพัฒนาชุมชนจังหวัดเเม่ฮ่องสอน", "สำนักงานพัฒนาชุมชนจังหวัดแม่ฮ่องสอน"),  # เเ
        ("วธจ.ชม.", "สำนักงานวัฒนธรรมจังหวัดเชียงใหม่"),
        ("พณ.จ.เชียงราย", "สำนักงานพาณิชย์จังหวัดเชียงราย"),
    ],
)
def test_provincial_offices(text, expected):
    assert canonical_agency_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("มูลนิธิแม่ฟ้าหลวง", MFLF),
        ("แม่ฟ้าหลวง", MFLF),
        ("มฟล.", MFLF),
        ("Mae Fah Luang Foundation", MFLF),
        ("MFLF", MFLF),
        ("มูลนิธิ แม่ฟ้าหลวง ฯ", MFLF),
        ("มูลนิธิแม่ฟ้าหลวงในพระบรมราชูปถัมภ์", MFLF),
        ("The Mae Fah Luang Foundation under the Royal Patronage", MFLF),
        ("mae fa luang", MFLF),
        ("ปิดทองหลังพระ", PIDTHONG),
        ("ปิดทองฯ", PIDTHONG),
        ("สถาบันปิดทองหลังพระฯ", PIDTHONG),
        ("Pid Thong", PIDTHONG),
        ("Pidthong Institute", PIDTHONG),
        ("PTLP", PIDTHONG),
        ("สถาบันส่งเสริมและพัฒนาปิดทองหลังพระฯ", PIDTHONG),
        ("pid thong lang phra institute", PIDTHONG),
        ("รากแก้ว", RAKKAEW),
        ("Rakkaew Foundation", RAKKAEW),
        ("มูลนิธิ รากแก้ว", RAKKAEW),
        ("RAK KAEW", RAKKAEW),
    ],
)
def test_partners(text, expected):
    assert canonical_agency_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("มหาวิทยาลัยแม่ฟ้าหลวง", "มหาวิทยาลัยแม่ฟ้าหลวง"),
        ("อ.แม่ฟ้าหลวง", "อ.แม่ฟ้าหลวง"),
        ("ที่ว่าการอำเภอแม่ฟ้าหลวง", "ที่ว่าการอำเภอแม่ฟ้าหลวง"),
        ("มูลนิธิแม่ฟ้าหลวง และ ปิดทองหลังพระ", "มูลนิธิแม่ฟ้าหลวง และ ปิดทองหลังพระ"),
        ("มูลนิธิ", "มูลนิธิ"),
        ("พช.ลำพูน", "พช.ลำพูน"),  # not a province of the programme
        ("พช.", "พช."),
        ("เชียงใหม่", "เชียงใหม่"),
        ("สำนักงานพัฒนาชุมชนอำเภอแม่สาย", "สำนักงานพัฒนาชุมชนอำเภอแม่สาย"),
        ("สสอ.แม่สาย", "สสอ.แม่สาย"),
        ("สำนักงานชลประทานที่ 1", "สำนักงานชลประทานที่ 1"),
        ("สหกรณ์การเกษตรเชียงใหม่ จำกัด", "สหกรณ์การเกษตรเชียงใหม่ จำกัด"),
        ("ผู้ว่าราชการจังหวัดเชียงใหม่", "ผู้ว่าราชการจังหวัดเชียงใหม่"),
        ("Chiang Mai Provincial Office", "Chiang Mai Provincial Office"),
        ("  องค์การบริหารส่วนตำบล   แม่ยาว ", "องค์การบริหารส่วนตำบล แม่ยาว"),
        ("กรมพัฒนาชุมชน\u200b", "กรมพัฒนาชุมชน"),
    ],
)
def test_unknown_names_come_back_as_written(text, expected):
    assert canonical_agency_name(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "\u00a0", "\u200b"])
def test_blanks(text):
    assert canonical_agency_name(text) is None


def test_the_vocabulary_has_the_four_provinces():
    assert {p["code"]: p["name"] for p in VOCABULARY["provinces"]} == PROVINCES


@pytest.mark.parametrize("template", [o["template"] for o in VOCABULARY["offices"]])
def test_every_template_renders_for_every_province(template):
    assert template.count("{province}") == 1
    for province in PROVINCES.values():
        name = template.format(province=province)
        assert name.endswith(province)
        assert canonical_agency_name(name) == name


@pytest.mark.parametrize("office", VOCABULARY["offices"], ids=lambda o: o["template"])
def test_every_written_form_with_every_province_form(office):
    for form in office["written"]:
        for province in VOCABULARY["provinces"]:
            expected = office["template"].format(province=province["name"])
            for province_form in [province["name"], *province["written"]]:
                for joiner in ["", " ", "จ.", " จ. ", "จังหวัด"]:
                    assert canonical_agency_name(form + joiner + province_form) == expected


@pytest.mark.parametrize("partner", VOCABULARY["partners"], ids=lambda p: p["name"])
def test_every_partner_name_and_keyword(partner):
    for written in [partner["name"], *partner["keywords"]]:
        assert canonical_agency_name(written) == partner["name"]


def test_a_written_form_of_two_offices_is_refused(tmp_path):
    vocabulary = dict(VOCABULARY)
    vocabulary["offices"] = [
        {"template": "สำนักงานแรงงานจังหวัด{province}", "written": ["สรจ."]},
        {"template": "สำนักงานสาธารณสุขจังหวัด{province}", "written": ["ส.ร.จ."]},
    ]
    path = tmp_path / "agencies.yml"
    path.write_text(yaml.safe_dump(vocabulary, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="office form 'สรจ' means both"):
        agencies._vocabulary(path)
