"""Generate the sample landing folder: realistic agency files for an invented set of villages.

Deterministic from ``--seed``. The villages sit on real subdistricts of the programme's
provinces (from geothai) in the numbers the programme's targets seed asks for; their names,
the households, people and projects are invented. Usage::

    python -m sources.sample.generate --out sources/sample/landing --seed 2562
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import geothai
import xlsxwriter

from sources.normalize import BUDDHIST_ERA_OFFSET, THAI_MONTHS, citizen_id_check_digit
from sources.programme import PhaseTarget, phase_targets, programme_province_codes
from sources.settings import SAMPLE_LANDING_DIR

# How many of a phase's districts lie in each province (a choice of the sample, not a target).
DISTRICT_SHARE = {"50": 0.42, "57": 0.32, "58": 0.16, "56": 0.10}
PARTNERS = {
    "50": "สถาบันส่งเสริมและพัฒนาปิดทองหลังพระ สืบสานแนวพระราชดำริ",
    "57": "มูลนิธิแม่ฟ้าหลวง ในพระบรมราชูปถัมภ์",
    "58": "มูลนิธิรากแก้ว",
    "56": "มูลนิธิแม่ฟ้าหลวง ในพระบรมราชูปถัมภ์",
}
PHASE_START = {1: dt.date(2019, 12, 1), 2: dt.date(2020, 12, 1)}
NAME_HEADS = ["ห้วย", "ป่า", "ดอย", "แม่", "หนอง", "โป่ง", "ผา", "น้ำ", "สัน", "ทุ่ง", "ปาง", "ม่อน"]
NAME_TAILS = [
    "สัก",
    "ยาง",
    "คำ",
    "ใหม่",
    "หลวง",
    "น้อย",
    "เหนือ",
    "ใต้",
    "ทอง",
    "ไคร้",
    "เย็น",
    "แดง",
    "ขาม",
    "ม่วง",
    "ตอง",
    "ลาน",
    "เงิน",
    "ผึ้ง",
]
FIRST_NAMES = ["สมชาย", "สมศรี", "บุญมี", "จันทร์แก้ว", "อาแซ", "หมี่จู", "ยอดชาย", "คำปัน", "นาหลี"]
LAST_NAMES = ["ใจดี", "แซ่ย่าง", "เชอมือ", "อาจ่า", "แสนคำ", "วงศ์ไทย", "จะนู", "ปัญญา"]
CATEGORIES = ["อาชีพ", "แหล่งน้ำ", "โครงสร้างพื้นฐาน", "สาธารณสุข", "การศึกษา", "ป้องกันยาเสพติด"]
EDUCATION = ["ไม่ได้เรียน", "ประถมศึกษา", "มัธยมศึกษาตอนต้น", "มัธยมศึกษาตอนปลาย", "ปริญญาตรี"]
OCCUPATIONS = ["เกษตรกร", "รับจ้างทั่วไป", "ค้าขาย", "นักเรียน", "ไม่มีอาชีพ"]
MONTH_ABBREVIATIONS = [
    name for name, _ in sorted(THAI_MONTHS.items(), key=lambda i: i[1]) if name.endswith(".")
]
FIXED_TIMESTAMP = dt.datetime(2022, 9, 30, 12, 0, 0)


@dataclass(frozen=True)
class Village:
    phase: int
    province: geothai.types.Province
    district: geothai.types.District
    subdistrict: geothai.types.Subdistrict
    moo: int
    name: str
    vote_date: dt.date

    @property
    def code(self) -> str:
        return f"{self.subdistrict.code}{self.moo:02d}"


def _split(total: int, parts: int, rng: random.Random, caps: list[int]) -> list[int]:
    """Split ``total`` into ``parts`` counts of at least 1 and at most ``caps[i]``."""
    counts = [1] * parts
    for _ in range(total - parts):
        open_slots = [i for i in range(parts) if counts[i] < caps[i]]
        counts[rng.choice(open_slots)] += 1
    return counts


def _districts_per_province(total: int) -> dict[str, int]:
    if set(DISTRICT_SHARE) != set(programme_province_codes()):
        raise ValueError("DISTRICT_SHARE must name exactly the programme's provinces")
    counts = {code: max(1, round(total * share)) for code, share in DISTRICT_SHARE.items()}
    counts["50"] += total - sum(counts.values())
    return counts


def build_villages(rng: random.Random, targets: dict[int, PhaseTarget]) -> list[Village]:
    """Villages on real subdistricts, in the numbers the targets ask for, per phase."""
    villages: list[Village] = []
    used_subdistricts: set[str] = set()
    used_names: set[str] = set()
    for phase, target in targets.items():
        chosen_districts = []
        for province_code, count in _districts_per_province(target.districts).items():
            candidates = [
                d
                for d in geothai.districts(province_code)
                if len(geothai.subdistricts(d.code)) >= 3
            ]
            chosen_districts += rng.sample(candidates, count)
        free = {
            d.code: [s for s in geothai.subdistricts(d.code) if s.code not in used_subdistricts]
            for d in chosen_districts
        }
        per_district = _split(
            target.subdistricts,
            len(chosen_districts),
            rng,
            [len(free[d.code]) for d in chosen_districts],
        )
        subdistricts = [
            (district, s)
            for district, n in zip(chosen_districts, per_district, strict=True)
            for s in rng.sample(free[district.code], n)
        ]
        per_subdistrict = _split(target.villages, len(subdistricts), rng, [3] * len(subdistricts))
        for (district, subdistrict), n in zip(subdistricts, per_subdistrict, strict=True):
            used_subdistricts.add(subdistrict.code)
            for moo in sorted(rng.sample(range(1, 16), n)):
                name = _village_name(rng, used_names)
                vote = PHASE_START[phase] + dt.timedelta(days=rng.randint(20, 110))
                province = geothai.province(district.province_code)
                villages.append(Village(phase, province, district, subdistrict, moo, name, vote))
    return villages


def _village_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"บ้าน{rng.choice(NAME_HEADS)}{rng.choice(NAME_TAILS)}"
        if rng.random() < 0.3:
            name += rng.choice(["ใหม่", "เก่า", "พัฒนา", "สามัคคี"])
        if name not in used:
            used.add(name)
            return name


def citizen_id(rng: random.Random) -> str:
    first = str(rng.choice([1, 3, 3, 5, 6, 8])) + "".join(str(rng.randint(0, 9)) for _ in range(11))
    return first + str(citizen_id_check_digit(first))


def thai_date(day: dt.date, style: int) -> str:
    """A date written the ways Thai offices write it."""
    year = day.year + BUDDHIST_ERA_OFFSET
    if style == 0:
        return f"{day.day:02d}/{day.month:02d}/{year}"
    if style == 1:
        return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {year % 100:02d}"
    return f"{day.day}/{day.month}/{year % 100:02d}"


def _workbook(path: Path) -> xlsxwriter.Workbook:
    workbook = xlsxwriter.Workbook(path)
    workbook.set_properties({"created": FIXED_TIMESTAMP, "author": "roijai sample"})
    return workbook


def _title_block(workbook, sheet, lines: list[str], width: int) -> int:
    """Merged title rows above the header, as provincial offices lay them out."""
    bold = workbook.add_format({"bold": True, "align": "center"})
    for row, line in enumerate(lines):
        sheet.merge_range(row, 0, row, width - 1, line, bold)
    return len(lines) + 1  # a blank row before the header


def write_register(villages: list[Village], folder: Path, rng: random.Random) -> None:
    headers = [
        "ลำดับ",
        "ระยะ",
        "จังหวัด",
        "อำเภอ",
        "ตำบล",
        "หมู่ที่",
        "ชื่อหมู่บ้าน",
        "รหัสหมู่บ้าน",
        "หน่วยงานภาคี",
        "วันที่ทำประชาคม",
        "ผลประชาคม",
    ]
    workbook = _workbook(folder / "ทะเบียนหมู่บ้านเป้าหมาย_ร้อยใจรักษ์_2562-2565.xlsx")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for phase in sorted({v.phase for v in villages}):
        sheet = workbook.add_worksheet(f"ระยะที่ {phase}")
        title = [
            "ทะเบียนหมู่บ้านเป้าหมาย การขยายผลโครงการร้อยใจรักษ์",
            f"ตามแผนปฏิบัติการด้านการแก้ไขปัญหายาเสพติดชายแดนภาคเหนือ (พ.ศ.2562-2565) ระยะที่ {phase}",
        ]
        header_row = _title_block(workbook, sheet, title, len(headers))
        sheet.write_row(header_row, 0, headers)
        for number, v in enumerate([v for v in villages if v.phase == phase], start=1):
            row = header_row + number
            province = v.province.name_th if rng.random() < 0.7 else f"จ.{v.province.name_th}"
            district = v.district.name_th if rng.random() < 0.6 else f"อ.{v.district.name_th}"
            sheet.write_row(
                row,
                0,
                [
                    number,
                    f"ระยะที่ {phase}",
                    province,
                    district,
                    v.subdistrict.name_th,
                    v.moo,
                    v.name,
                ],
            )
            if rng.random() < 0.8:
                sheet.write_number(row, 7, int(v.code))
            else:
                sheet.write_string(row, 7, v.code)
            sheet.write_string(row, 8, PARTNERS[v.province.code])
            style = rng.randrange(4)
            if style == 3:
                sheet.write_datetime(
                    row, 9, dt.datetime.combine(v.vote_date, dt.time()), date_format
                )
            else:
                sheet.write_string(row, 9, thai_date(v.vote_date, style))
            sheet.write_string(row, 10, "ผ่าน")
    notes = workbook.add_worksheet("หมายเหตุ")
    notes.write(0, 0, "ข้อมูลจากสำนักงานจังหวัด ปรับปรุงล่าสุด")
    workbook.close()


def write_survey(villages: list[Village], folder: Path, rng: random.Random) -> None:
    """A KoboToolbox XLSX export: households on the first sheet, members on a repeat sheet."""
    households = [
        "_id",
        "_uuid",
        "_submission_time",
        "_index",
        "__version__",
        "_validation_status",
        "survey/survey_date",
        "location/village_code",
        "household/house_no",
        "household/house_code",
        "household/head_name",
        "household/head_cid",
        "household/phone",
        "household/members_count",
        "income/income_agriculture",
        "income/income_wage",
        "income/income_other",
        "cost/household_cost",
        "debt/debt_total",
    ]
    members = [
        "members/member_name",
        "members/member_cid",
        "members/sex",
        "members/birth_date",
        "members/education",
        "members/occupation",
        "_index",
        "_parent_table_name",
        "_parent_index",
        "_submission__uuid",
    ]
    workbook = _workbook(folder / "roijai_household_survey_kobo_export.xlsx")
    household_sheet = workbook.add_worksheet("roijai_household_survey")
    member_sheet = workbook.add_worksheet("members")
    household_sheet.write_row(0, 0, households)
    member_sheet.write_row(0, 0, members)
    index = member_index = 0
    for village in villages:
        for _ in range(rng.randint(6, 14)):
            index += 1
            uuid = f"{rng.getrandbits(128):032x}"
            uuid = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
            surveyed = PHASE_START[village.phase] + dt.timedelta(days=rng.randint(0, 120))
            size = rng.randint(1, 7)
            household_sheet.write_row(
                index,
                0,
                [
                    100000 + index,
                    uuid,
                    f"{surveyed.isoformat()}T10:{index % 60:02d}:00",
                    index,
                    "vJ3kq9",
                    "validation_status_approved",
                    surveyed.isoformat(),
                    village.code,
                    f"{rng.randint(1, 250)}/{rng.randint(1, 9)}",
                    f"{rng.randint(10**10, 10**11 - 1)}",
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    citizen_id(rng),
                    f"08{rng.randint(0, 9)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                    size,
                    rng.randrange(0, 120_000, 500),
                    rng.randrange(0, 80_000, 500),
                    rng.randrange(0, 20_000, 500),
                    rng.randrange(20_000, 150_000, 500),
                    rng.choice([0, 0, 5_000, 20_000, 45_000, 120_000]),
                ],
            )
            for _ in range(size):
                member_index += 1
                born = dt.date(rng.randint(1940, 2018), rng.randint(1, 12), rng.randint(1, 28))
                member_sheet.write_row(
                    member_index,
                    0,
                    [
                        f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                        citizen_id(rng),
                        rng.choice(["ชาย", "หญิง"]),
                        born.isoformat(),
                        rng.choice(EDUCATION),
                        rng.choice(OCCUPATIONS),
                        member_index,
                        "roijai_household_survey",
                        index,
                        uuid,
                    ],
                )
    workbook.close()


AGENCY_FILES = [
    ("สำนักงานเกษตรจังหวัดเชียงใหม่", ["50"], "xlsx", ["อาชีพ", "แหล่งน้ำ"]),
    ("สำนักงานพัฒนาชุมชนจังหวัดเชียงราย", ["57"], "xlsx", ["อาชีพ", "โครงสร้างพื้นฐาน"]),
    ("สำนักงาน ป.ป.ส. ภาค 5", ["50", "57", "58", "56"], "xlsx", ["ป้องกันยาเสพติด"]),
    ("สำนักงานสาธารณสุขจังหวัดพะเยา", ["56"], "csv", ["สาธารณสุข", "การศึกษา"]),
]
AGENCY_HEADERS = [
    "ลำดับ",
    "ปีงบประมาณ",
    "หน่วยงาน",
    "ชื่อโครงการ",
    "ประเภท",
    "รหัสหมู่บ้าน",
    "งบประมาณที่ได้รับจัดสรร (บาท)",
    "ผลการเบิกจ่าย (บาท)",
    "สถานะ",
    "วันที่เริ่ม",
]


def _project_rows(
    agency: str,
    provinces: list[str],
    categories: list[str],
    villages: list[Village],
    rng: random.Random,
) -> list[list]:
    rows = []
    for village in (v for v in villages if v.province.code in provinces):
        if rng.random() < 0.35:
            continue
        for _ in range(rng.randint(1, 2)):
            year = (
                rng.choice([2563, 2564, 2565]) if village.phase == 1 else rng.choice([2564, 2565])
            )
            allocated = rng.randrange(50_000, 1_500_000, 10_000)
            done = year < 2565 or rng.random() < 0.5
            disbursed = allocated if done else rng.randrange(0, allocated + 1, 10_000)
            category = rng.choice(categories)
            start = dt.date(year - BUDDHIST_ERA_OFFSET - 1, rng.randint(10, 12), rng.randint(1, 28))
            rows.append(
                [
                    len(rows) + 1,
                    year,
                    agency,
                    f"โครงการ{category} {village.name}",
                    category,
                    village.code,
                    allocated,
                    disbursed,
                    "ดำเนินการแล้วเสร็จ" if done else "อยู่ระหว่างดำเนินการ",
                    thai_date(start, 0),
                ]
            )
    return rows


def write_agency(villages: list[Village], folder: Path, rng: random.Random) -> None:
    for agency, provinces, file_type, categories in AGENCY_FILES:
        rows = _project_rows(agency, provinces, categories, villages, rng)
        stem = f"{agency.replace(' ', '')}_โครงการร้อยใจรักษ์_2563-2565"
        if file_type == "csv":
            _write_csv(folder / f"{stem}.csv", [AGENCY_HEADERS, *rows], encoding="cp874")
            continue
        workbook = _workbook(folder / f"{stem}.xlsx")
        sheet = workbook.add_worksheet("โครงการ")
        title = [
            f"แผนงาน/โครงการ สนับสนุนการขยายผลโครงการร้อยใจรักษ์ ({agency})",
            "ปีงบประมาณ พ.ศ. 2563 - 2565",
        ]
        header_row = _title_block(workbook, sheet, title, len(AGENCY_HEADERS))
        sheet.write_row(header_row, 0, AGENCY_HEADERS)
        for offset, row in enumerate(rows, start=1):
            cells = list(row)
            if rng.random() < 0.25:  # numbers stored as text, with thousands separators
                cells[6], cells[7] = f"{cells[6]:,}", f"{cells[7]:,}"
            sheet.write_row(header_row + offset, 0, cells)
        totals = header_row + len(rows) + 1
        sheet.write_row(
            totals,
            0,
            ["รวม", None, None, None, None, None, sum(r[6] for r in rows), sum(r[7] for r in rows)],
        )
        workbook.close()


def write_plans(villages: list[Village], folder: Path, rng: random.Random) -> None:
    headers = [
        "รหัสหมู่บ้าน",
        "วันที่จัดทำแผน",
        "ลำดับ",
        "ปัญหา/ความต้องการ",
        "กิจกรรม",
        "งบประมาณที่ขอ (บาท)",
        "หน่วยงานรับผิดชอบ",
    ]
    needs = [
        ("ขาดแหล่งน้ำการเกษตร", "ฝายชะลอน้ำ", "ชลประทานจังหวัด"),
        ("รายได้ไม่พอรายจ่าย", "กลุ่มอาชีพเลี้ยงไก่", "ปศุสัตว์จังหวัด"),
        ("ถนนชำรุด", "ซ่อมแซมถนนเข้าหมู่บ้าน", "องค์การบริหารส่วนตำบล"),
        ("ปัญหายาเสพติดในชุมชน", "ค่ายปรับเปลี่ยนพฤติกรรม", "ป.ป.ส."),
        ("ดินเสื่อมโทรม", "ปลูกพืชหมุนเวียน", "พัฒนาที่ดิน"),
    ]
    for phase in sorted({v.phase for v in villages}):
        rows = []
        for village in (v for v in villages if v.phase == phase):
            if phase == 2 and rng.random() < 0.5:
                continue  # phase 2 plans are still coming in
            plan_date = village.vote_date + dt.timedelta(days=rng.randint(30, 90))
            for item, (need, activity, agency) in enumerate(
                rng.sample(needs, rng.randint(2, 5)), 1
            ):
                rows.append(
                    [
                        village.code,
                        thai_date(plan_date, 0),
                        item,
                        need,
                        activity,
                        f"{rng.randrange(20_000, 800_000, 5_000):,}",
                        agency,
                    ]
                )
        year = PHASE_START[phase].year + BUDDHIST_ERA_OFFSET + 1
        _write_csv(
            folder / f"แผนพัฒนาหมู่บ้าน_ระยะที่{phase}_{year}.csv",
            [headers, *rows],
            encoding="cp874" if phase == 1 else "utf-8-sig",
        )


def _write_csv(path: Path, rows: list[list], encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def generate(out: Path, seed: int = 2562) -> list[Village]:
    """Write a complete landing folder (register, survey, agency, plans) into ``out``."""
    rng = random.Random(seed)
    villages = build_villages(rng, phase_targets())
    if out.exists():
        shutil.rmtree(out)
    for kind, write in [
        ("register", write_register),
        ("survey", write_survey),
        ("agency", write_agency),
        ("plans", write_plans),
    ]:
        (out / kind).mkdir(parents=True)
        write(villages, out / kind, rng)
    return villages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_LANDING_DIR)
    parser.add_argument("--seed", type=int, default=2562)
    args = parser.parse_args()
    villages = generate(args.out, args.seed)
    print(f"wrote {len(villages)} villages' files into {args.out}")


if __name__ == "__main__":
    main()
