"""Sheets shaped the way agencies make them: two-row headers, a header repeated mid-sheet,
facts in title rows, section rows and sheet names, one free-text location column, totals rows
kept as control totals, sheets nothing reads reported in the ledger, and header mappings."""

import json

import pytest

from expectations.catalog import control_totals_match
from sources.contracts import load_contracts
from sources.ingest import HeaderMappings, ingest_folder
from sources.layout import find_layout
from tests.helpers import FailedFormula, write_xlsx

KEY = b"unit-test-key"


def ingest(warehouse, landing, kind, resolver, mappings=None):
    contract = load_contracts()[kind]
    mappings = mappings or HeaderMappings(folder=landing / "no-mappings")
    return ingest_folder(warehouse, landing, contract, KEY, resolver, mappings=mappings)


def test_a_two_row_header_names_the_columns_under_its_group_cell():
    rows = [
        ["ที่", "โครงการ", "พื้นที่", "งบประมาณ (บาท)", "งบประมาณ (บาท)", "งบประมาณ (บาท)"],
        ["ที่", "โครงการ", "พื้นที่", "จัดสรร", "เบิกจ่าย", "คงเหลือ"],
        ["1", "ฝายชะลอน้ำ", "บ้านป่าซาง หมู่ 5 ต.เวียงพางคำ อ.แม่สาย", "100000", "40000", "60000"],
    ]
    names = [("sheet name", "ปีงบ 63"), ("file name", "รายงาน_สนง.เกษตรจังหวัดเชียงใหม่")]
    layout = find_layout(rows, load_contracts()["agency"], names)
    assert layout.header_rows == (0, 1)
    names = {c.name: layout.headers[p] for c, p in layout.columns.items()}
    assert names["budget_allocated"] == "งบประมาณ (บาท) จัดสรร"
    assert names["budget_disbursed"] == "งบประมาณ (บาท) เบิกจ่าย"
    assert "งบประมาณ (บาท) คงเหลือ" in layout.unknown  # what is left is never an amount read


def agency_workbook(folder):
    """An agency report: agency in a title row, fiscal year in the sheet name, districts as
    section rows, subtotals, a second printout pasted below, a note and a signature."""
    header = ["ที่", "โครงการ/กิจกรรม", "พื้นที่ดำเนินการ\n(หมู่บ้าน/ตำบล/อำเภอ)", "งบประมาณ\n(พันบาท)",
              "ผลการเบิกจ่าย\n(พันบาท)"]  # fmt: skip
    rows = [
        ["แบบรายงานผลการเบิกจ่ายงบประมาณ"],
        ["หน่วยงาน : สนง.ปศุสัตว์จังหวัดเชียงราย"],
        [],
        header,
        ["อำเภอแม่สาย"],
        [1, "ส่งเสริมการเลี้ยงไก่", "บ้านป่าซาง หมู่ ๕ ต.เวียงพางคำ อ.แม่สาย", 120.5, "40"],
        [2, "ฝายชะลอน้ำ", "บ.ดอยลาน ม.3/โป่งผา/แม่สาย", "80", "-"],
        [None, "รวมอำเภอแม่สาย", None, 200.5, 40],
        [],
        ["แบบรายงานผลการเบิกจ่ายงบประมาณ"],
        header,
        [3, "ธนาคารเมล็ดพันธุ์", "ห้วยไคร้ (ม.4) ตำบลโป่งผา อำเภอแม่สาย จังหวัดเชียงราย", 50, 50],
        ["รวมทั้งสิ้น", None, None, 250.5, 90],
        ["หมายเหตุ : ข้อมูลจากระบบ GFMIS"],
        ["ผู้รายงาน ..............."],
    ]
    (folder / "agency").mkdir(parents=True)
    return write_xlsx(folder / "agency" / "report.xlsx", {"ปีงบประมาณ 2564": rows})


def test_facts_outside_the_table_and_rows_that_are_not_data(tmp_path, warehouse, resolver):
    agency_workbook(tmp_path)
    (outcome,) = ingest(warehouse, tmp_path, "agency", resolver)

    assert (outcome.status, outcome.rows_read, outcome.rows_loaded) == ("loaded", 3, 3)
    rows = warehouse.execute(
        "select _row_number, fiscal_year, agency_name, village_code, budget_allocated, "
        "budget_disbursed, _context from raw.agency_projects order by 1"
    ).fetchall()
    assert [r[:6] for r in rows] == [
        (6, 2564, "สำนักงานปศุสัตว์จังหวัดเชียงราย", "57090605", 120500.0, 40000.0),
        (7, 2564, "สำนักงานปศุสัตว์จังหวัดเชียงราย", "57090403", 80000.0, 0.0),
        (12, 2564, "สำนักงานปศุสัตว์จังหวัดเชียงราย", "57090404", 50000.0, 50000.0),
    ]
    # each row says where the values it does not hold came from
    assert json.loads(rows[0][6]) == {"fiscal_year": "sheet name", "agency_name": "row 2"}
    (sheet,) = warehouse.execute(
        "select status, header_rows, row_kinds from raw.ingest_sheets"
    ).fetchall()
    kinds = json.loads(sheet[2])
    assert sheet[:2] == ("loaded", "4")
    # the repeated header and title, the district heading, the totals, the note and signature
    assert kinds == {"title": 2, "header": 2, "section": 4, "data": 3, "totals": 2, "blank": 2}


def test_totals_rows_are_kept_as_control_totals(tmp_path, warehouse, resolver):
    agency_workbook(tmp_path)
    ingest(warehouse, tmp_path, "agency", resolver)
    totals = warehouse.execute(
        "select row_number, scope, label, scope_first_row, scope_last_row, data_rows_in_scope, "
        "declared_amounts from raw.ingest_control_totals order by row_number"
    ).fetchall()
    assert [t[:6] for t in totals] == [
        (8, "subtotal", "รวมอำเภอแม่สาย", 6, 7, 2),
        (13, "grand", "รวมทั้งสิ้น", 6, 12, 3),  # both printouts: every row since no total
    ]
    assert json.loads(totals[0][6]) == {"budget_allocated": 200500.0, "budget_disbursed": 40000.0}


def test_a_register_with_phases_in_section_rows_and_a_location_column(
    tmp_path, warehouse, resolver
):
    rows = [
        ["บัญชีหมู่บ้านเป้าหมาย จังหวัดเชียงราย"],
        ["ลำดับ", "ที่ตั้งหมู่บ้าน\n(หมู่บ้าน/หมู่/ตำบล/อำเภอ)", "ภาคีการพัฒนา"],
        ["ระยะที่ ๑"],
        ["๑", "บ้านป่าซาง หมู่ 5 ต.เวียงพางคำ อ.แม่สาย", "มฟล."],
        ["ระยะที่ ๒"],
        ["๒", "หมู่ที่ 3 บ้านดอยลาน ตำบลโป่งผา อำเภอแม่สาย", "รากแก้ว"],
    ]
    (tmp_path / "register").mkdir()
    write_xlsx(tmp_path / "register" / "r.xlsx", {"Sheet1": rows})
    (outcome,) = ingest(warehouse, tmp_path, "register", resolver)
    assert outcome.rows_loaded == 2
    assert warehouse.execute(
        "select village_code, phase, village_name, partner_organisation from "
        "raw.register_villages order by 1"
    ).fetchall() == [
        ("57090403", 2, "บ้านดอยลาน", "มูลนิธิรากแก้ว"),
        ("57090605", 1, "บ้านป่าซาง", "มูลนิธิแม่ฟ้าหลวง ในพระบรมราชูปถัมภ์"),
    ]


def test_a_sheet_nothing_reads_is_reported_and_the_file_is_partial(tmp_path, warehouse, resolver):
    register = [
        ["ระยะ", "อำเภอ", "ตำบล", "หมู่", "ชื่อหมู่บ้าน"],
        ["1", "แม่สาย", "เวียงพางคำ", "5", "บ้านป่าซาง"],
    ]
    other = [["อำเภอ", "ระยะที่ 1", "ระยะที่ 2"], ["แม่สาย", 1, 0], ["เชียงแสน", 0, 2]]
    notes = [["ดูรายละเอียดในชีตแรก"]]
    (tmp_path / "register").mkdir()
    write_xlsx(
        tmp_path / "register" / "r.xlsx", {"ทะเบียน": register, "ชีต2": other, "อ่านก่อน": notes}
    )
    (outcome,) = ingest(warehouse, tmp_path, "register", resolver)
    assert outcome.status == "partial"
    assert "NOT read: sheet 'ชีต2' (3 non-blank rows" in str(outcome)
    sheets = warehouse.execute(
        "select sheet, status, non_blank_rows, reason from raw.ingest_sheets order by 1"
    ).fetchall()
    assert [s[:3] for s in sheets] == [
        ("ชีต2", "ignored", 3),
        ("ทะเบียน", "loaded", 2),
        ("อ่านก่อน", "ignored", 1),
    ]
    assert sheets[0][3].startswith("no header row of a register table (closest: ")
    assert sheets[2][3] == "no table: no row of two or more labels (notes only)"
    assert warehouse.execute("select status from raw.ingest_ledger").fetchone() == ("partial",)


@pytest.mark.parametrize("name", ["สรุป", "สรุปรายอำเภอ", "Summary", "Pivot 2564"])
def test_a_summary_sheet_of_the_others_is_not_a_table_nothing_read(
    tmp_path, warehouse, resolver, name
):
    register = [
        ["ระยะ", "อำเภอ", "ตำบล", "หมู่", "ชื่อหมู่บ้าน"],
        ["1", "แม่สาย", "เวียงพางคำ", "5", "บ้านป่าซาง"],
    ]
    pivot = [["อำเภอ", "ระยะที่ 1", "ระยะที่ 2"], ["แม่สาย", 1, 0], ["รวม", 1, 0]]
    (tmp_path / "register").mkdir()
    write_xlsx(tmp_path / "register" / "r.xlsx", {"ทะเบียน": register, name: pivot})
    (outcome,) = ingest(warehouse, tmp_path, "register", resolver)
    assert outcome.status == "loaded" and outcome.rows_loaded == 1
    assert warehouse.execute(
        "select status, holds_table, reason from raw.ingest_sheets where sheet = ?", [name]
    ).fetchone() == (
        "ignored",
        False,
        "no rows of its own: a summary sheet (its name says so) of the other sheets",
    )


LABELS_EXPORT = (
    "วันที่ไปเยี่ยม,บ้านอยู่หมู่ไหน (รหัส),เจ้าบ้านชื่ออะไร,คนในบ้านกี่คน,_uuid,_id,__version__\n"
    "2021-01-15,57090605,นายสมชาย ใจดี,4,aaa-1,11,vXYZ2564\n"
    "2021-01-16,57090605,นางสมศรี ใจดี,3,aaa-2,12,vXYZ2564\n"
)


def test_an_unknown_form_fails_naming_its_best_headers_and_proposes_a_mapping(
    tmp_path, warehouse, resolver
):
    (tmp_path / "survey").mkdir()
    (tmp_path / "survey" / "follow_up_labels.csv").write_text(LABELS_EXPORT, encoding="utf-8")
    mappings = HeaderMappings(folder=tmp_path / "mappings", proposals=tmp_path / "proposed")
    (tmp_path / "mappings").mkdir()
    (outcome,) = ingest(warehouse, tmp_path, "survey", resolver, mappings)

    assert outcome.status == "failed"
    assert "no sheet has the header row of a survey file" in outcome.error
    assert "submission_id (required) ~ '_id' 1.00" in outcome.error
    assert "นายสมชาย" not in outcome.error  # a failure names headers, never cells
    proposal = tmp_path / "proposed" / "follow_up_labels.yml"
    assert f"a proposed header mapping is in {proposal}" in outcome.error
    text = proposal.read_text(encoding="utf-8")
    assert 'form_version: ["vXYZ2564"]' in text
    assert 'submission_id: "_id"  # score 1.00 (required)' in text


def test_a_labels_export_loads_with_its_mapping_file(tmp_path, warehouse, resolver):
    (tmp_path / "survey").mkdir()
    (tmp_path / "survey" / "follow_up_labels.csv").write_text(LABELS_EXPORT, encoding="utf-8")
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "follow_up.yml").write_text(
        "kind: survey\n"
        "match:\n"
        "  form_version: [vXYZ2564]\n"
        "tables:\n"
        "  survey_households:\n"
        '    survey_date: "วันที่ไปเยี่ยม"\n'
        '    village_code: "บ้านอยู่หมู่ไหน (รหัส)"\n'
        '    members_count: "คนในบ้านกี่คน"\n',
        encoding="utf-8",
    )
    mappings = HeaderMappings(folder=tmp_path / "mappings")
    (outcome,) = ingest(warehouse, tmp_path, "survey", resolver, mappings)
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 2)
    assert warehouse.execute(
        "select survey_date::varchar, village_code, members_count, submission_uuid "
        "from raw.survey_households order by 4"
    ).fetchall() == [("2021-01-15", "57090605", 4, "aaa-1"), ("2021-01-16", "57090605", 3, "aaa-2")]
    (mapping, columns) = warehouse.execute(
        "select mapping, columns from raw.ingest_sheets"
    ).fetchone()
    assert mapping == "follow_up.yml"
    assert json.loads(columns)["members_count"] == ["คนในบ้านกี่คน", 1.0]
    # the head's name was never read, mapping or not
    assert "เจ้าบ้านชื่ออะไร" in outcome.personal_headers


def test_village_plan_blocks_take_their_village_and_date_from_the_rows_above(
    tmp_path, warehouse, resolver
):
    header = ["ที่", "ปัญหา/ความต้องการ", "กิจกรรม", "งบประมาณที่ขอ (บาท)"]
    rows = [
        ["แผนพัฒนาหมู่บ้าน บ้านป่าซาง หมู่ที่ ๕ ตำบลเวียงพางคำ อำเภอแม่สาย จังหวัดเชียงราย"],
        ["วันที่จัดทำแผน", None, "12 มี.ค. 63"],
        header,
        ["1. กิจกรรมที่หมู่บ้านดำเนินการเอง"],
        [1, "ขาดน้ำ", "ขุดสระ", "-"],
        [2, "หนี้สิน", "บัญชีครัวเรือน", "15,000"],
        [None, None, "รวม", 15000],
        [],
        ["แผนพัฒนาหมู่บ้าน บ้านดอยลาน ตำบลโป่งผา อำเภอแม่สาย"],  # no moo: found by its name
        ["วันที่จัดทำแผน", None, "มีนาคม 2563"],
        header,
        [1, "ถนนชำรุด", "ซ่อมถนน", 90000],
    ]
    (tmp_path / "plans").mkdir()
    write_xlsx(tmp_path / "plans" / "p.xlsx", {"เชียงราย": rows})
    (outcome,) = ingest(warehouse, tmp_path, "plans", resolver)
    assert (outcome.rows_read, outcome.rows_loaded) == (3, 3)
    assert warehouse.execute(
        "select _row_number, village_code, village_name_key, village_area_code, "
        "plan_date::varchar, plan_date_precision, requested_budget from raw.plan_items order by 1"
    ).fetchall() == [
        (5, "57090605", "ป่าซาง", None, "2020-03-12", "day", 0.0),
        (6, "57090605", "ป่าซาง", None, "2020-03-12", "day", 15000.0),
        (12, None, "ดอยลาน", "570904", "2020-03-01", "month", 90000.0),
    ]


def test_a_yes_or_no_question_is_never_a_count_whatever_words_it_shares():
    rows = [
        ["_id", "today", "รหัสหมู่บ้าน", "มีสมาชิกในครัวเรือนเกี่ยวข้องกับยาเสพติดหรือไม่",
         "How many people live in this household?"],
        ["1", "2021-01-05", "57090605", "ไม่มี", "4"],
        ["2", "2021-01-06", "57090605", "มี", "3"],
    ]  # fmt: skip
    layout = find_layout(rows, load_contracts()["survey"])
    names = {c.name: layout.headers[p] for c, p in layout.columns.items()}
    assert names["members_count"] == "How many people live in this household?"
    assert names["drug_use"] == "มีสมาชิกในครัวเรือนเกี่ยวข้องกับยาเสพติดหรือไม่"


@pytest.mark.parametrize(("declared", "mismatches"), [(2, []), (3, ["says 3 projects, 2 loaded"])])
def test_a_total_that_counts_projects_is_judged_on_distinct_projects_not_lines(
    tmp_path, warehouse, resolver, declared, mismatches
):
    """'รวม 2 โครงการ' over three lines (one project reaches two villages) states two projects;
    the control-total check counts distinct project names in its scope, and its sums."""
    rows = [
        ["ปีงบประมาณ", "หน่วยงาน", "ชื่อโครงการ", "รหัสหมู่บ้าน", "งบประมาณจัดสรร", "เบิกจ่าย"],
        ["2564", "สำนักงานเกษตรจังหวัดเชียงราย", "ฝายชะลอน้ำ", "57090605", "100000", "40000"],
        ["2564", "สำนักงานเกษตรจังหวัดเชียงราย", "ฝายชะลอน้ำ", "57090403", "100000", "40000"],
        ["2564", "สำนักงานเกษตรจังหวัดเชียงราย", "โรงเรือนเพาะชำ", "57090605", "50000", "50000"],
        [f"รวม {declared} โครงการ", None, None, None, "250000", "130000"],
    ]
    (tmp_path / "agency").mkdir()
    write_xlsx(tmp_path / "agency" / "a.xlsx", {"ปีงบ 64": rows})
    (outcome,) = ingest(warehouse, tmp_path, "agency", resolver)
    assert outcome.rows_loaded == 3
    contract = load_contracts()["agency"]
    check = control_totals_match(contract, ("agency", "agency_projects"))
    result = check.run(warehouse)
    assert [f.split(") ", 1)[1] for f in result.failures] == mismatches
    assert result.observed["totals_rows"] == 1


def test_amounts_are_exact_to_the_satang_and_impossible_ones_are_quarantined(
    tmp_path, warehouse, resolver
):
    """Money lands as decimal(18,2) in baht, its header's unit applied exactly; infinity and
    amounts no budget reaches go to quarantine, naming the column, never into a sum."""
    rows = [
        ["ปีงบประมาณ", "หน่วยงาน", "ชื่อโครงการ", "รหัสหมู่บ้าน", "งบประมาณจัดสรร (พันบาท)", "เบิกจ่าย"],
        ["2564", "สำนักงานเกษตรจังหวัดเชียงราย", "ฝายชะลอน้ำ", "57090605", "0.1", "100.05"],
        ["2564", "สำนักงานเกษตรจังหวัดเชียงราย", "โรงเรือน", "57090403", "inf", "0"],
        ["2564", "สำนักงานเกษตรจังหวัดเชียงราย", "ถนน", "57090605", "2e13", "0"],  # 2e16 baht
    ]  # fmt: skip
    (tmp_path / "agency").mkdir()
    write_xlsx(tmp_path / "agency" / "a.xlsx", {"ปีงบ 64": rows})
    (outcome,) = ingest(warehouse, tmp_path, "agency", resolver)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 2)
    loaded = warehouse.execute(
        "select budget_allocated, budget_disbursed, typeof(budget_allocated) "
        "from raw.agency_projects"
    ).fetchall()
    assert [(str(a), str(d), t) for a, d, t in loaded] == [("100.00", "100.05", "DECIMAL(18,2)")]
    reasons = warehouse.execute(
        "select row_number, column_name, reason from raw.ingest_quarantine order by row_number"
    ).fetchall()
    assert reasons == [
        (3, "budget_allocated", "not a finite amount of money"),
        (4, "budget_allocated", "an amount of 10^16 baht or more: beyond any budget"),
    ]


def test_amounts_beyond_their_columns_ceiling_are_quarantined(tmp_path, warehouse, resolver):
    """A budget line of a thousand trillion baht (1e15), or forty nines, fits no programme:
    the contract's ceiling of the column quarantines it; an amount just under it loads."""
    header = ["ปีงบประมาณ", "หน่วยงาน", "ชื่อโครงการ", "รหัสหมู่บ้าน", "งบประมาณจัดสรร", "เบิกจ่าย"]
    agency = "สำนักงานเกษตรจังหวัดเชียงราย"
    rows = [
        header,
        ["2564", agency, "ฝาย", "57090605", "999999999.99", "0"],
        ["2564", agency, "ถนน", "57090605", "1e15", "0"],
        ["2564", agency, "โรงเรือน", "57090403", "9" * 40, "0"],
        ["2564", agency, "ประปา", "57090403", "100000", "1000000001"],
    ]
    (tmp_path / "agency").mkdir()
    text = "\n".join(",".join(row) for row in rows) + "\n"
    (tmp_path / "agency" / "a.csv").write_text(text, encoding="utf-8")
    (outcome,) = ingest(warehouse, tmp_path, "agency", resolver)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 3)
    ceiling = load_contracts()["agency"].tables[0].by_name["budget_allocated"].maximum
    assert ceiling == 1_000_000_000
    reasons = warehouse.execute(
        "select row_number, column_name, reason from raw.ingest_quarantine order by row_number"
    ).fetchall()
    beyond = "more than 1,000,000,000: beyond what this column can hold"
    assert reasons == [
        (3, "budget_allocated", beyond),
        (4, "budget_allocated", "an amount of 10^16 baht or more: beyond any budget"),
        (5, "budget_disbursed", beyond),
    ]


def test_spreadsheet_error_values_are_quarantined_as_such(tmp_path, warehouse, resolver):
    """A formula that failed (#DIV/0! in the disbursed column, #REF! in the budget) holds no
    value: its row is quarantined saying so, not loaded with a blank or called missing; the
    same holds for the error's text in a CSV saved from such a sheet."""
    header = ["ปีงบประมาณ", "หน่วยงาน", "ชื่อโครงการ", "รหัสหมู่บ้าน", "งบประมาณจัดสรร", "เบิกจ่าย"]
    agency = "สำนักงานเกษตรจังหวัดเชียงราย"
    rows = [
        header,
        ["2564", agency, "ฝาย", "57090605", 100000, 40000],
        ["2564", agency, "ถนน", "57090605", 50000, FailedFormula("=F2/0", "#DIV/0!")],
        ["2564", agency, "โรงเรือน", "57090403", FailedFormula("=#REF!*2", "#REF!"), 0],
        ["2564", agency, FailedFormula("=NA()", "#N/A"), "57090403", 100, 0],
    ]
    (tmp_path / "agency").mkdir()
    write_xlsx(tmp_path / "agency" / "a.xlsx", {"ปีงบ 64": rows})
    saved = [["#VALUE!" if isinstance(c, FailedFormula) else str(c) for c in r] for r in rows]
    text = "\n".join(",".join(row) for row in saved) + "\n"
    (tmp_path / "agency" / "b.csv").write_text(text, encoding="utf-8")
    outcomes = ingest(warehouse, tmp_path, "agency", resolver)
    assert [(o.rows_loaded, o.rows_quarantined) for o in outcomes] == [(1, 3), (1, 3)]
    reasons = warehouse.execute(
        "select file_name, row_number, column_name, reason from raw.ingest_quarantine "
        "order by file_name, row_number"
    ).fetchall()
    error = "a spreadsheet error value ({}), not a value"
    assert reasons == [
        ("a.xlsx", 3, "budget_disbursed", error.format("#DIV/0!")),
        ("a.xlsx", 4, "budget_allocated", error.format("#REF!")),
        ("a.xlsx", 5, "project_name", error.format("#N/A")),
        ("b.csv", 3, "budget_disbursed", error.format("#VALUE!")),
        ("b.csv", 4, "budget_allocated", error.format("#VALUE!")),
        ("b.csv", 5, "project_name", error.format("#VALUE!")),
    ]


def test_control_characters_never_reach_the_warehouse(tmp_path, warehouse, resolver):
    """A NUL, an escape or a DEL inside a cell (a bad export, a copy from another system) is
    dropped, in a CSV read by DuckDB and in a workbook alike."""
    header = ["ปีงบประมาณ", "หน่วยงาน", "ชื่อโครงการ", "รหัสหมู่บ้าน", "งบประมาณจัดสรร", "เบิกจ่าย"]
    line = ["2564", "สำนักงานเกษตรจังหวัดเชียงราย", "ฝาย\x00ชะลอ\x1bน้ำ\x7f", "57090605", "100", "40"]
    (tmp_path / "agency").mkdir()
    text = "\n".join(",".join(row) for row in [header, line]) + "\n"
    (tmp_path / "agency" / "a.csv").write_text(text, encoding="utf-8")
    write_xlsx(tmp_path / "agency" / "b.xlsx", {"ปีงบ 64": [header, line]})
    outcomes = ingest(warehouse, tmp_path, "agency", resolver)
    assert [o.rows_loaded for o in outcomes] == [1, 1]
    names = warehouse.execute("select project_name from raw.agency_projects").fetchall()
    assert names == [("ฝายชะลอน้ำ",), ("ฝายชะลอน้ำ",)]
