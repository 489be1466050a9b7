"""Generate a landing folder of messy, realistic agency files for an invented set of villages.

Deterministic from ``--seed``, at any scale (``--households N`` sets the size of the ODK
follow-up survey round). The villages sit on real subdistricts of the programme's provinces
(from geothai) in the numbers the programme's targets seed asks for; their names, households,
people and projects are invented. The files carry the difficulties real ones do: title rows,
merged cells, totals and subtotal rows, notes below the data, numbers as text with commas and
Thai digits, amounts in thousands of baht, B.E. dates written six ways, to the month or as a
birth year only, Excel serials, ISO timestamps, Windows-874 CSV, names with and without prefixes,
villages named instead of coded or described in one free-text location, abbreviated headers with
units, a two-row header, a header repeated where a second printout was pasted, facts that are in
no column (the phase in a sheet name, the fiscal year in sheet names, the agency in a title row,
provinces and districts in section rows), renumbered (old) subdistrict codes, unknown villages,
invalid citizen IDs, a duplicate file under another name, Kobo and ODK survey exports (group
paths, repeat groups as a sheet or a file, select-multiple in both forms), and on request
(``--corrupt``) a corrupt workbook.

The data (villages, households, members, projects, plan items, amounts) is drawn from one
random generator; how some values are written is drawn from a second one (``style_rng``), so a
new way of writing a value never changes the values drawn. Usage::

    python -m sources.sample.generate --out sources/sample/landing --seed 2562
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import functools
import io
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import geothai
import xlsxwriter
from geothai.abolished import abolished_areas

from sources.normalize import (
    BUDDHIST_ERA_OFFSET,
    THAI_DIGITS,
    THAI_MONTHS,
    citizen_id_check_digit,
)
from sources.programme_seeds import PhaseTarget, phase_targets, programme_province_codes
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
EDUCATION = ["ไม่ได้เรียน", "ประถมศึกษา", "มัธยมศึกษาตอนต้น", "มัธยมศึกษาตอนปลาย", "ปริญญาตรี"]
OCCUPATIONS = ["เกษตรกร", "รับจ้างทั่วไป", "ค้าขาย", "นักเรียน", "ไม่มีอาชีพ"]
MONTH_ABBREVIATIONS = [
    name for name, _ in sorted(THAI_MONTHS.items(), key=lambda i: i[1]) if name.endswith(".")
]
FIXED_TIMESTAMP = dt.datetime(2022, 9, 30, 12, 0, 0)
DEFAULT_SEED = 2562


def style_rng(seed: int) -> random.Random:
    """The generator of how values are written, apart from the one that draws the values."""
    return random.Random(f"{seed}:styles")


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


UNKNOWN_VILLAGE_CODE = "57999901"  # no subdistrict 579999 exists: such rows go to quarantine
PROBLEMS = ["water", "debt", "land", "income", "health", "drugs"]
ODK_ROUND_DEFAULT_HOUSEHOLDS = 600
# The FY 2565 follow-up of both phases: a few households in every village (at least one each),
# so that the sample meets every survey round the reporting calendar has made due.
LAST_FOLLOW_UP_HOUSEHOLDS = 400
FOLLOW_UP_START = {2564: dt.date(2021, 1, 10), 2565: dt.date(2022, 1, 10)}


@dataclass(frozen=True)
class Place:
    """Where a village is, by the names a file writes."""

    village: str  # with its "บ้าน"
    moo: int
    subdistrict: str
    district: str
    province: str


# Where a file that names villages by place puts its line for a village that does not exist.
UNKNOWN_PLACE = Place("บ้านใหม่", 3, "ที่ไม่มีจริง", "แม่สาย", "เชียงราย")
# A village's place in one cell, as offices type it.
LOCATION_FORMS = {
    "short": "{village} หมู่ {moo} ต.{subdistrict} อ.{district}",
    "slashes": "บ.{bare} ม.{moo}/{subdistrict}/{district}",
    "bracketed": "{bare} (ม.{moo}) ตำบล{subdistrict} อำเภอ{district} จังหวัด{province}",
    "full": "{village} หมู่ที่ {moo} ตำบล{subdistrict} อำเภอ{district} จังหวัด{province}",
}


def place_of(village: Village | None) -> Place:
    if village is None:
        return UNKNOWN_PLACE
    return Place(
        village.name,
        village.moo,
        village.subdistrict.name_th,
        village.district.name_th,
        village.province.name_th,
    )


def location_text(place: Place, form: str, thai_moo: bool = False) -> str:
    """A place written in one of ``LOCATION_FORMS``, the moo in Thai digits if asked."""
    moo = to_thai_digits(str(place.moo)) if thai_moo else str(place.moo)
    return LOCATION_FORMS[form].format(
        village=place.village,
        bare=place.village.removeprefix("บ้าน"),
        moo=moo,
        subdistrict=place.subdistrict,
        district=place.district,
        province=place.province,
    )


def to_thai_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", THAI_DIGITS))


def thai_date(day: dt.date, style: int) -> str:
    """A date written one of the ways Thai offices write it."""
    year = day.year + BUDDHIST_ERA_OFFSET
    month_full = next(name for name, n in THAI_MONTHS.items() if n == day.month)
    forms = [
        f"{day.day:02d}/{day.month:02d}/{year}",
        f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {year % 100:02d}",
        f"{day.day}/{day.month}/{year % 100:02d}",
        f"{day.day} {month_full} {year}",
        to_thai_digits(f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {year % 100:02d}"),
        f"{day.day}-{day.month}-{day.year}",
    ]
    return forms[style % len(forms)]


def thai_month(day: dt.date) -> str:
    """A date to the month only, as a plan is dated: 'มี.ค. 2564'."""
    return f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.year + BUDDHIST_ERA_OFFSET}"


def excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def amount_text(value: int, rng: random.Random, per: int = 1) -> str | int | float:
    """An amount as agencies type it: a number, text with commas, 'บาท', or Thai digits.
    ``per`` 1000: in thousands of baht, with two decimals (so x1000 gives the baht back)."""
    form = rng.randrange(6)
    if per == 1:
        number, text, unit = value, f"{value:,}", " บาท"
    else:
        number, text, unit = round(value / per, 2), f"{value / per:,.2f}", ""
    if form == 1:
        return text
    if form == 2:
        return text + unit
    if form == 3 and value:
        return to_thai_digits(text)
    if form == 4 and not value:
        return "-"
    return number


def _workbook(path: Path) -> xlsxwriter.Workbook:
    workbook = xlsxwriter.Workbook(path)
    workbook.set_properties({"created": FIXED_TIMESTAMP, "author": "roijai sample"})
    return workbook


def _title_block(workbook, sheet, lines: list[str], width: int, first_row: int = 0) -> int:
    """Merged title rows above the header, as provincial offices lay them out; returns the
    header's row."""
    bold = workbook.add_format({"bold": True, "align": "center"})
    for offset, line in enumerate(lines):
        sheet.merge_range(first_row + offset, 0, first_row + offset, width - 1, line, bold)
    return first_row + len(lines) + 1  # a blank row before the header


def _runs(keys: list) -> list[list[int]]:
    """The indexes of runs of equal neighbouring keys: [a, a, b, a] -> [[0, 1], [2], [3]]."""
    runs: list[list[int]] = []
    for index, key in enumerate(keys):
        if runs and keys[runs[-1][0]] == key:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _old_codes() -> dict[str, str]:
    """Current subdistrict code -> the abolished code it replaced (one successor only)."""
    return {
        a.successors[0]: a.code
        for a in abolished_areas()
        if a.level == "subdistrict" and len(a.successors) == 1
    }


REGISTER_HEADERS = [
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
# The sheet of this phase came from another copy of the register: no phase column (the sheet's
# name says it), a two-row header (a group cell over the place columns) and a second printout
# pasted halfway down, its title and header again.
REPRINTED_PHASE = 2
PLACE_GROUP = ("เขตการปกครอง", ["จังหวัด", "อำเภอ", "ตำบล", "หมู่ที่"])


def _register_title(phase: int, with_phase: bool) -> list[str]:
    plan = "ตามแผนปฏิบัติการด้านการแก้ไขปัญหายาเสพติดชายแดนภาคเหนือ (พ.ศ.2562-2565)"
    return [
        "ทะเบียนหมู่บ้านเป้าหมาย การขยายผลโครงการร้อยใจรักษ์",
        f"{plan} ระยะที่ {phase}" if with_phase else plan,
    ]


def write_register(villages: list[Village], folder: Path, rng: random.Random) -> None:
    """One sheet per phase; district cells merged down; codes missing, old or as numbers; a
    totals row and a note below the villages."""
    workbook = _workbook(folder / "ทะเบียนหมู่บ้านเป้าหมาย_ร้อยใจรักษ์_2562-2565.xlsx")
    formats = {
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
        "merged": workbook.add_format({"valign": "vcenter"}),
        "header": workbook.add_format({"bold": True, "align": "center", "valign": "vcenter"}),
        "totals": workbook.add_format({"bold": True}),
    }
    old_codes = _old_codes()
    for phase in sorted({v.phase for v in villages}):
        sheet = workbook.add_worksheet(f"ระยะที่ {phase}")
        reprinted = phase == REPRINTED_PHASE
        headers = [h for h in REGISTER_HEADERS if not (reprinted and h == "ระยะ")]
        columns = {header: column for column, header in enumerate(headers)}
        printout_top = functools.partial(
            _printout_top,
            workbook,
            sheet,
            title=_register_title(phase, with_phase=not reprinted),
            headers=headers,
            grouped=reprinted,
            header_format=formats["header"],
        )
        rows = [v for v in villages if v.phase == phase]
        pasted_at = len(rows) // 2 if reprinted else None
        positions, row = [], printout_top(0)
        for index in range(len(rows)):
            if index == pasted_at:  # a blank row, then the second printout
                row = printout_top(row + 1)
            positions.append(row)
            row += 1
        for number, (village, position) in enumerate(zip(rows, positions, strict=True), start=1):
            _register_row(sheet, position, columns, village, number, rng, old_codes, formats)
        _merge_districts(sheet, rows, positions, columns["อำเภอ"], formats["merged"], rng)
        sheet.write_string(row, 0, f"รวม {len(rows)} หมู่บ้าน", formats["totals"])
        sheet.write(row + 2, 0, "หมายเหตุ: ข้อมูล ณ วันที่ 31 มีนาคม 2563 จากสำนักงานจังหวัด")
    notes = workbook.add_worksheet("คำอธิบาย")
    notes.write(0, 0, "ข้อมูลจากสำนักงานจังหวัด ปรับปรุงล่าสุด")
    workbook.close()


def _printout_top(workbook, sheet, first_row: int, title, headers, grouped, header_format) -> int:
    """A printout's title rows and header from ``first_row``; returns its first village's row."""
    header_row = _title_block(workbook, sheet, title, len(headers), first_row)
    return _register_header(sheet, header_row, headers, grouped, header_format)


def _register_header(sheet, row: int, headers: list[str], grouped: bool, cell_format) -> int:
    """The header at ``row``; returns the row below it. Grouped: a two-row header, the place
    columns under one merged group cell, every other cell merged down over both rows."""
    if not grouped:
        sheet.write_row(row, 0, headers)
        return row + 1
    group, places = PLACE_GROUP
    first = headers.index(places[0])
    sheet.merge_range(row, first, row, first + len(places) - 1, group, cell_format)
    for column, header in enumerate(headers):
        if header in places:
            sheet.write_string(row + 1, column, header, cell_format)
        else:
            sheet.merge_range(row, column, row + 1, column, header, cell_format)
    return row + 2


def _register_row(sheet, row, columns, village, number, rng, old_codes, formats) -> None:
    """One village's line; the district is written by ``_merge_districts``."""
    v = village
    province = v.province.name_th if rng.random() < 0.7 else f"จ.{v.province.name_th}"
    subdistrict = v.subdistrict.name_th if rng.random() < 0.7 else f"ต.{v.subdistrict.name_th}"
    moo = rng.choice([v.moo, str(v.moo), f"ม.{v.moo}", to_thai_digits(f"ม.{v.moo}")])
    cells = {"ลำดับ": number, "ระยะ": f"ระยะที่ {v.phase}", "จังหวัด": province,
             "ตำบล": subdistrict, "หมู่ที่": moo, "ชื่อหมู่บ้าน": v.name}  # fmt: skip
    for header, value in cells.items():
        if header in columns:
            sheet.write(row, columns[header], value)
    code = columns["รหัสหมู่บ้าน"]
    code_form = rng.random()
    if v.subdistrict.code in old_codes and code_form < 0.6:
        sheet.write_string(row, code, f"{old_codes[v.subdistrict.code]}{v.moo:02d}")
    elif code_form < 0.15:
        pass  # no code: the village is named by its subdistrict and moo
    elif code_form < 0.75:
        sheet.write_number(row, code, int(v.code))
    else:
        sheet.write_string(row, code, v.code)
    sheet.write_string(row, columns["หน่วยงานภาคี"], PARTNERS[v.province.code])
    vote = columns["วันที่ทำประชาคม"]
    style = rng.randrange(8)
    if style == 6:
        voted = dt.datetime.combine(v.vote_date, dt.time())
        sheet.write_datetime(row, vote, voted, formats["date"])
    elif style == 7:
        sheet.write_number(row, vote, excel_serial(v.vote_date))
    else:
        sheet.write_string(row, vote, thai_date(v.vote_date, style))
    sheet.write_string(row, columns["ผลประชาคม"], "ผ่าน")


def _merge_districts(sheet, rows: list[Village], positions: list[int], column: int,
                     cell_format, rng) -> None:  # fmt: skip
    """Write the district column, merging runs of villages in the same district; a run the
    second printout breaks is written again below its header."""
    for run in _runs([v.district.code for v in rows]):
        name = rows[run[0]].district.name_th
        name = name if rng.random() < 0.6 else f"อ.{name}"
        at = [positions[i] for i in run]
        for piece in _runs([row - offset for offset, row in enumerate(at)]):
            first, last = at[piece[0]], at[piece[-1]]
            if last > first:
                sheet.merge_range(first, column, last, column, name, cell_format)
            else:
                sheet.write_string(first, column, name)


KOBO_HOUSEHOLD_HEADERS = [
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
    "needs/problems",
    "drug/drug_use",
    "drug/drug_treatment",
    "drug/drug_arrest",
    "note",
]
KOBO_MEMBER_HEADERS = [
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


MONEY_ANSWERS = ("income_agriculture", "income_wage", "income_other", "household_cost",
                 "debt_total")  # fmt: skip


@dataclass
class Household:
    village_code: str
    surveyed: dt.date
    uuid: str
    size: int


def _household_answers(household: Household, rng: random.Random) -> dict:
    drug_use = rng.random() < 0.06
    return {
        "house_no": f"{rng.randint(1, 250)}/{rng.randint(1, 9)}",
        "house_code": f"{rng.randint(10**10, 10**11 - 1)}",
        "head_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "head_cid": _maybe_invalid(citizen_id(rng), rng),
        "phone": f"08{rng.randint(0, 9)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        "members_count": household.size,
        "income_agriculture": rng.randrange(0, 120_000, 500),
        "income_wage": rng.randrange(0, 80_000, 500),
        "income_other": rng.randrange(0, 20_000, 500),
        "household_cost": rng.randrange(20_000, 150_000, 500),
        "debt_total": rng.choice([0, 0, 5_000, 20_000, 45_000, 120_000]),
        "problems": sorted(rng.sample(PROBLEMS, rng.randint(0, 3))),
        "drug_use": "yes" if drug_use else "no",
        "drug_treatment": ("yes" if rng.random() < 0.5 else "no") if drug_use else None,
        "drug_arrest": ("yes" if rng.random() < 0.2 else "no") if drug_use else None,
    }


def _maybe_invalid(identifier: str, rng: random.Random) -> str:
    """About 2% of IDs are typed wrong (a bad check digit); they are flagged, not refused."""
    if rng.random() < 0.02:
        return identifier[:12] + str((int(identifier[12]) + 1) % 10)
    return identifier


def _households(villages, rng, count: int, start: dt.date) -> list[Household]:
    households = []
    for n in range(count):
        village = villages[n % len(villages)]
        code = UNKNOWN_VILLAGE_CODE if n % 997 == 500 else village.code
        surveyed = start + dt.timedelta(days=rng.randint(0, 120))
        households.append(Household(code, surveyed, _uuid(rng), rng.randint(1, 7)))
    return households


def _uuid(rng: random.Random) -> str:
    text = f"{rng.getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _member(rng: random.Random, birth_year_only: bool = False) -> list:
    """A member's answers; the birth date in full, or as its B.E. year only ('2530')."""
    born = dt.date(rng.randint(1940, 2018), rng.randint(1, 12), rng.randint(1, 28))
    return [
        f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        _maybe_invalid(citizen_id(rng), rng),
        rng.choice(["ชาย", "หญิง"]),
        str(born.year + BUDDHIST_ERA_OFFSET) if birth_year_only else born.isoformat(),
        rng.choice(EDUCATION),
        rng.choice(OCCUPATIONS),
    ]


def write_kobo_survey(villages: list[Village], folder: Path, rng: random.Random) -> None:
    """The baseline data study as a KoboToolbox XLSX export: a members repeat sheet."""
    workbook = _workbook(folder / "roijai_household_survey_kobo_export.xlsx")
    households_sheet = workbook.add_worksheet("roijai_household_survey")
    members_sheet = workbook.add_worksheet("members")
    households_sheet.write_row(0, 0, KOBO_HOUSEHOLD_HEADERS)
    members_sheet.write_row(0, 0, KOBO_MEMBER_HEADERS)
    member_row = 0
    index = 0
    for phase in (1, 2):
        in_phase = [v for v in villages if v.phase == phase]
        count = sum(rng.randint(6, 14) for _ in in_phase)
        for household in _households(in_phase, rng, count, PHASE_START[phase]):
            index += 1
            a = _household_answers(household, rng)
            households_sheet.write_row(
                index,
                0,
                [
                    100000 + index,
                    household.uuid,
                    f"{household.surveyed.isoformat()}T10:00:00",
                    index,
                    "vJ3kq9",
                    "validation_status_approved",
                    household.surveyed.isoformat(),
                    household.village_code,
                    a["house_no"],
                    a["house_code"],
                    a["head_name"],
                    a["head_cid"],
                    a["phone"],
                    a["members_count"],
                    *(a[field] for field in MONEY_ANSWERS),
                    " ".join(a["problems"]),
                    a["drug_use"],
                    a["drug_treatment"],
                    a["drug_arrest"],
                    "โทร " + a["phone"] if index % 50 == 0 else None,
                ],
            )
            for _ in range(household.size):
                member_row += 1
                members_sheet.write_row(
                    member_row,
                    0,
                    [*_member(rng), member_row, "roijai_household_survey", index, household.uuid],
                )
    workbook.close()


# The follow-up form has no date question: the survey date is the local date of the device's
# start and end times (ODK's metadata), and of 'today' in the submissions that carry it.
ODK_HOUSEHOLD_HEADERS = [
    "SubmissionDate",
    "start",
    "end",
    "today",
    "location-village_code",
    "household-head_name",
    "household-head_cid",
    "household-members_count",
    "income-income_agriculture",
    "income-income_wage",
    "income-income_other",
    "cost-household_cost",
    "debt-debt_total",
    *(f"needs-problems-{p}" for p in PROBLEMS),
    "drug-drug_use",
    "meta-instanceID",
    "KEY",
]
ODK_MEMBER_HEADERS = [
    "member-member_name",
    "member-member_cid",
    "member-sex",
    "member-birth_date",
    "member-education",
    "member-occupation",
    "PARENT_KEY",
    "KEY",
]
DEVICE_TIME_ZONE = dt.timezone(dt.timedelta(hours=7))  # the enumerators' phones: Thai time


def _interview_times(day: dt.date, styles: random.Random) -> tuple[str, str]:
    """An interview's start and end as ODK writes device times (ISO, +07:00), on ``day``
    between 07:00 and 16:00, before the submission reached the server (16:00). Whole minutes,
    so that a round of a million households (the benchmark) has few distinct times to parse."""
    start = dt.datetime.combine(day, dt.time(7), DEVICE_TIME_ZONE)
    start += dt.timedelta(minutes=styles.randrange(8 * 60))
    end = start + dt.timedelta(minutes=styles.randint(12, 55))
    return start.isoformat(timespec="milliseconds"), end.isoformat(timespec="milliseconds")


def write_odk_survey(
    villages: list[Village],
    path: Path,
    rng: random.Random,
    households: int,
    members: bool = True,
    styles: random.Random | None = None,
    fiscal_year_be: int = 2564,
) -> None:
    """A follow-up round as an ODK CSV export; members in their own CSV, linked by PARENT_KEY.
    Select-multiple answers come as one 0/1 column per option; 'today' is given for about half
    of the households, a birth date as its B.E. year only for about a quarter of the members."""
    styles = styles if styles is not None else style_rng(DEFAULT_SEED)
    with contextlib.ExitStack() as files:
        household_csv = csv.writer(files.enter_context(_csv_file(path)), lineterminator="\r\n")
        household_csv.writerow(ODK_HOUSEHOLD_HEADERS)
        if members:
            member_path = path.with_name(f"{path.stem}-members.csv")
            member_csv = csv.writer(
                files.enter_context(_csv_file(member_path)), lineterminator="\r\n"
            )
            member_csv.writerow(ODK_MEMBER_HEADERS)
        start = FOLLOW_UP_START[fiscal_year_be]
        for household in _households(villages, rng, households, start):
            a = _household_answers(household, rng)
            key = f"uuid:{household.uuid}"
            today = household.surveyed.isoformat() if styles.random() < 0.5 else None
            household_csv.writerow(
                [
                    f"{household.surveyed.isoformat()}T09:00:00.000Z",
                    *_interview_times(household.surveyed, styles),
                    today,
                    household.village_code,
                    a["head_name"],
                    a["head_cid"],
                    a["members_count"],
                    *(a[field] for field in MONEY_ANSWERS),
                    *(int(p in a["problems"]) for p in PROBLEMS),
                    a["drug_use"],
                    key,
                    key,
                ]
            )
            for number in range(household.size if members else 0):
                member = _member(rng, birth_year_only=styles.random() < 0.25)
                member_csv.writerow([*member, key, f"{key}/member[{number + 1}]"])


def _csv_file(path: Path):
    return path.open("w", encoding="utf-8", newline="")


# (agency, provinces, form, categories); forms: "xlsx" a conventional workbook, "report" the
# agency's own report layout, "names" villages named by place, "csv" villages coded.
AGENCY_FILES = [
    ("สำนักงานเกษตรจังหวัดเชียงใหม่", ["50"], "xlsx", ["อาชีพ", "แหล่งน้ำ"]),
    ("สำนักงานพัฒนาชุมชนจังหวัดเชียงราย", ["57"], "names", ["อาชีพ", "โครงสร้างพื้นฐาน"]),
    ("สำนักงาน ป.ป.ส. ภาค 5", ["50", "57", "58", "56"], "report", ["ป้องกันยาเสพติด"]),
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
# The same columns as another agency writes them: abbreviated, with units, the village named
# by district, subdistrict, moo and name instead of coded, and a column of remarks.
AGENCY_NAMED_HEADERS = [
    "ที่",
    "ปีงบฯ",
    "ส่วนราชการ",
    "โครงการ",
    "ด้าน",
    "อ.",
    "ต.",
    "ม.",
    "บ้าน",
    "งปม.จัดสรร (บาท)",
    "เบิกจ่าย (บาท)",
    "สถานะโครงการ",
    "วันเริ่มโครงการ",
    "หมายเหตุ",
]
AGENCY_REMARKS = ["ขอขยายระยะเวลาดำเนินการ", "ดำเนินการร่วมกับ อบต.", "รอตรวจรับงาน"]
AMOUNT_CELLS = (6, 7)  # where an ``agency_rows`` line holds the allocated and disbursed amounts


def agency_rows(
    agency: str,
    provinces: list[str],
    categories: list[str],
    villages: list[Village],
    rng: random.Random,
) -> list[tuple[Village | None, list]]:
    """Project lines (village, cells); a few name a village that does not exist."""
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
                (
                    village,
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
                        thai_date(start, rng.randrange(6)),
                    ],
                )
            )
    unknown = [
        len(rows) + 1,
        2564,
        agency,
        "โครงการส่งเสริมอาชีพ บ้านใหม่",
        categories[0],
        UNKNOWN_VILLAGE_CODE,
        200_000,
        0,
        "อยู่ระหว่างดำเนินการ",
        "1 ต.ค. 63",
    ]
    rows.append((None, unknown))
    return rows


def write_agency_workbook(path: Path, agency: str, rows: list[list], rng: random.Random) -> None:
    """An agency's project workbook: title block, header, amounts typed every way, totals row,
    and a summary sheet that is not data."""
    workbook = _workbook(path)
    sheet = workbook.add_worksheet("โครงการ")
    title = [
        f"แผนงาน/โครงการ สนับสนุนการขยายผลโครงการร้อยใจรักษ์ ({agency})",
        "ปีงบประมาณ พ.ศ. 2563 - 2565",
    ]
    header_row = _title_block(workbook, sheet, title, len(AGENCY_HEADERS))
    sheet.write_row(header_row, 0, AGENCY_HEADERS)
    for offset, cells in enumerate(rows, start=1):
        cells = [*cells[:6], amount_text(cells[6], rng), amount_text(cells[7], rng), *cells[8:]]
        sheet.write_row(header_row + offset, 0, cells)
    sheet.write_row(
        header_row + len(rows) + 1,
        0,
        ["รวม", None, None, None, None, None, sum(r[6] for r in rows), sum(r[7] for r in rows)],
    )
    _summary_sheet(workbook, len(rows))
    workbook.close()


def _summary_sheet(workbook, projects: int) -> None:
    summary = workbook.add_worksheet("สรุป")
    summary.write_row(0, 0, ["จำนวนโครงการ", projects])


# An agency's own report: a sheet per fiscal year (named as below, in turn), the amounts of the
# second year's sheet in thousands of baht.
REPORT_SHEET_NAMES = ["ปีงบ {short}", "ปีงบประมาณ {year}", "ปีงบฯ {short}"]
REPORT_THOUSANDS_SHEET = 1
REPORT_HEADERS = ["ลำดับ", "ชื่อโครงการ", "ประเภท", "ที่ตั้งหมู่บ้าน", "งบประมาณ (บาท)",
                  "ผลการเบิกจ่าย", "สถานะ", "วันที่เริ่ม"]  # fmt: skip
REPORT_AMOUNTS = 4  # the column of the first amount; the second follows it
REPORT_HEADERS_IN_THOUSANDS = {"งบประมาณ (บาท)": "งบประมาณ\n(พันบาท)",
                               "ผลการเบิกจ่าย": "ผลการเบิกจ่าย\n(พันบาท)"}  # fmt: skip


def write_agency_report(
    path: Path,
    agency: str,
    rows: list[tuple[Village | None, list]],
    rng: random.Random,
    styles: random.Random,
) -> None:
    """An agency's project report as its office lays it out: the agency only in a title row
    ('หน่วยงาน : ...'), one sheet per fiscal year (the year only in the sheet's name), a
    section row per province and per district with a subtotal per district, each village in
    one free-text location cell, amounts typed every way, in thousands of baht on one sheet."""
    workbook = _workbook(path)
    formats = {
        "title": workbook.add_format({"bold": True, "align": "center"}),
        "section": workbook.add_format({"bold": True}),
        "thousands": workbook.add_format({"num_format": "#,##0.00"}),
    }
    years = sorted({cells[1] for _, cells in rows})
    for number, year in enumerate(years):
        name = REPORT_SHEET_NAMES[number % len(REPORT_SHEET_NAMES)]
        sheet = workbook.add_worksheet(name.format(year=year, short=year % 100))
        per = 1000 if number == REPORT_THOUSANDS_SHEET else 1
        in_year = [(village, cells) for village, cells in rows if cells[1] == year]
        _report_sheet(sheet, agency, in_year, per, formats, rng, styles)
    _summary_sheet(workbook, len(rows))
    workbook.close()


def _report_sheet(sheet, agency, rows, per: int, formats, rng, styles) -> None:
    headers = [REPORT_HEADERS_IN_THOUSANDS.get(h, h) if per > 1 else h for h in REPORT_HEADERS]
    width = len(headers)
    if per > 1:
        sheet.set_column(REPORT_AMOUNTS, REPORT_AMOUNTS + 1, 14, formats["thousands"])
    title = ["สรุปโครงการสนับสนุนหมู่บ้านเป้าหมาย โครงการร้อยใจรักษ์", f"หน่วยงาน : {agency}"]
    for row, line in enumerate(title):
        sheet.merge_range(row, 0, row, width - 1, line, formats["title"])
    row = len(title) + 1
    sheet.write_row(row, 0, headers)
    number = 0
    for province, in_province in _grouped(rows, lambda r: place_of(r[0]).province).items():
        row += 1
        sheet.merge_range(row, 0, row, width - 1, f"จังหวัด{province}", formats["section"])
        for district, lines in _grouped(in_province, lambda r: place_of(r[0]).district).items():
            row += 1
            sheet.merge_range(row, 0, row, width - 1, f"อำเภอ{district}", formats["section"])
            for village, cells in lines:
                row, number = row + 1, number + 1
                location = location_text(
                    place_of(village),
                    styles.choice(["short", "slashes", "bracketed"]),
                    thai_moo=styles.random() < 0.3,
                )
                amounts = [amount_text(cells[i], rng, per) for i in AMOUNT_CELLS]
                sheet.write_row(row, 0, [number, cells[3], cells[4], location, *amounts,
                                         cells[8], cells[9]])  # fmt: skip
            row += 1
            _report_total(sheet, row, f"รวมอำเภอ{district}", lines, per, formats["section"])
    _report_total(sheet, row + 1, "รวมทั้งสิ้น", rows, per, formats["section"])


def _grouped(items: list, key) -> dict:
    """Items by key, keys in the order they first appear, items in their order."""
    groups: dict = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _report_total(sheet, row: int, label: str, lines, per: int, label_format) -> None:
    """A totals row: its label in the first column, the sums under the amounts."""
    sheet.write_string(row, 0, label, label_format)
    for offset, position in enumerate(AMOUNT_CELLS):
        total = sum(cells[position] for _, cells in lines)
        sheet.write_number(row, REPORT_AMOUNTS + offset, round(total / per, 2))


def _named_row(
    village: Village | None, cells: list, rng: random.Random, styles: random.Random
) -> list:
    """A project line that names its village by district, subdistrict, moo and name."""
    if village is None:
        district = UNKNOWN_PLACE.district
        subdistrict = f"ตำบล{UNKNOWN_PLACE.subdistrict}"
        moo = str(UNKNOWN_PLACE.moo)
    else:
        district = rng.choice(
            [village.district.name_th, f"อ.{village.district.name_th}", village.district.name_en]
        )
        subdistrict = rng.choice([village.subdistrict.name_th, f"ต.{village.subdistrict.name_th}"])
        moo = rng.choice([str(village.moo), f"ม.{village.moo}", to_thai_digits(str(village.moo))])
    remark = styles.choice(AGENCY_REMARKS) if styles.random() < 0.2 else None
    return [
        *cells[:5],
        district,
        subdistrict,
        moo,
        place_of(village).village,
        amount_text(cells[6], rng),
        amount_text(cells[7], rng),
        *cells[8:],
        remark,
    ]


def write_agency(
    villages: list[Village], folder: Path, rng: random.Random, styles: random.Random
) -> None:
    for agency, provinces, form, categories in AGENCY_FILES:
        rows = agency_rows(agency, provinces, categories, villages, rng)
        stem = f"{agency.replace(' ', '')}_โครงการร้อยใจรักษ์_2563-2565"
        cells = [c for _, c in rows]
        if form == "csv":
            _write_csv(folder / f"{stem}.csv", [AGENCY_HEADERS, *cells], encoding="cp874")
        elif form == "names":
            named = [_named_row(v, c, rng, styles) for v, c in rows]
            _write_csv(folder / f"{stem}.csv", [AGENCY_NAMED_HEADERS, *named], "utf-8-sig")
        elif form == "report":
            write_agency_report(folder / f"{stem}.xlsx", agency, rows, rng, styles)
        else:
            path = folder / f"{stem}.xlsx"
            write_agency_workbook(path, agency, cells, rng)
            if agency == AGENCY_FILES[0][0]:  # sent twice: the copy has the mail client's name
                shutil.copy(path, folder / f"{stem} (1).xlsx")


PLAN_HEADERS = [
    "รหัสหมู่บ้าน",
    "วันที่จัดทำแผน",
    "ลำดับ",
    "ปัญหา/ความต้องการ",
    "กิจกรรม",
    "งบประมาณที่ขอ (บาท)",
    "หน่วยงานรับผิดชอบ",
]
PLAN_LOCATION_HEADER = "หมู่บ้าน (ที่ตั้ง)"
# The plans of this phase name about half of their villages by their place (no code) and date
# a few plans to the month only.
DESCRIBED_PLANS_PHASE = 1
PLAN_NEEDS = [
    ("ขาดแหล่งน้ำการเกษตร", "ฝายชะลอน้ำ", "ชลประทานจังหวัด"),
    ("รายได้ไม่พอรายจ่าย", "กลุ่มอาชีพเลี้ยงไก่", "ปศุสัตว์จังหวัด"),
    ("ถนนชำรุด", "ซ่อมแซมถนนเข้าหมู่บ้าน", "องค์การบริหารส่วนตำบล"),
    ("ปัญหายาเสพติดในชุมชน", "ค่ายปรับเปลี่ยนพฤติกรรม", "ป.ป.ส."),
    ("ดินเสื่อมโทรม", "ปลูกพืชหมุนเวียน", "พัฒนาที่ดิน"),
]


def write_plans(
    villages: list[Village], folder: Path, rng: random.Random, styles: random.Random
) -> None:
    for phase in sorted({v.phase for v in villages}):
        described = phase == DESCRIBED_PLANS_PHASE
        headers = [PLAN_HEADERS[0], PLAN_LOCATION_HEADER, *PLAN_HEADERS[1:]]
        rows: list[list] = [[f"แผนพัฒนาหมู่บ้าน ระยะที่ {phase}"], []]
        rows.append(headers if described else PLAN_HEADERS)
        for village in (v for v in villages if v.phase == phase):
            if phase == 2 and rng.random() < 0.5:
                continue  # phase 2 plans are still coming in
            plan_day = village.vote_date + dt.timedelta(days=rng.randint(30, 90))
            plan_date = thai_date(plan_day, rng.randrange(6))
            reference = [village.code]
            if described:
                if styles.random() < 0.12:
                    plan_date = thai_month(plan_day)
                by_place = styles.random() < 0.5
                location = location_text(place_of(village), "full") if by_place else None
                reference = [None if by_place else village.code, location]
            for item, (need, activity, agency) in enumerate(
                rng.sample(PLAN_NEEDS, rng.randint(2, 5)), 1
            ):
                budget = rng.randrange(20_000, 800_000, 5_000)
                rows.append(
                    [*reference, plan_date, item, need, activity, amount_text(budget, rng), agency]
                )
        year = PHASE_START[phase].year + BUDDHIST_ERA_OFFSET + 1
        _write_csv(
            folder / f"แผนพัฒนาหมู่บ้าน_ระยะที่{phase}_{year}.csv",
            rows,
            encoding="cp874" if phase == 1 else "utf-8-sig",
        )


def _write_csv(path: Path, rows: list[list], encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_corrupt_workbook(folder: Path) -> None:
    """A workbook cut short in transfer: a zip header and nothing after it."""
    (folder / "รายงานโครงการ_ไฟล์เสีย.xlsx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\0" * 64)


def generate(
    out: Path,
    seed: int = DEFAULT_SEED,
    households: int = ODK_ROUND_DEFAULT_HOUSEHOLDS,
    corrupt: bool = False,
) -> list[Village]:
    """Write a complete landing folder (register, survey, agency, plans) into ``out``."""
    rng = random.Random(seed)
    styles = style_rng(seed)
    villages = build_villages(rng, phase_targets())
    if out.exists():
        shutil.rmtree(out)
    for kind in ("register", "survey", "agency", "plans"):
        (out / kind).mkdir(parents=True)
    write_register(villages, out / "register", rng)
    write_kobo_survey(villages, out / "survey", rng)
    phase_one = [v for v in villages if v.phase == 1]
    odk = out / "survey" / "roijai_followup_2564_odk.csv"
    write_odk_survey(phase_one, odk, rng, households, styles=styles)
    write_agency(villages, out / "agency", rng, styles)
    write_plans(villages, out / "plans", rng, styles)
    last_follow_up = out / "survey" / "roijai_followup_2565_odk.csv"
    write_odk_survey(
        villages, last_follow_up, rng, LAST_FOLLOW_UP_HOUSEHOLDS, styles=styles, fiscal_year_be=2565
    )
    if corrupt:
        write_corrupt_workbook(out / "agency")
    return villages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_LANDING_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--households",
        type=int,
        default=ODK_ROUND_DEFAULT_HOUSEHOLDS,
        help="households in the ODK follow-up round",
    )
    parser.add_argument("--corrupt", action="store_true", help="add a corrupt workbook")
    args = parser.parse_args()
    villages = generate(args.out, args.seed, args.households, args.corrupt)
    print(f"wrote the files of {len(villages)} villages into {args.out}")


if __name__ == "__main__":
    main()
