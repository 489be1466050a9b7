"""Header recognition: wordings that are not in any vocabulary still find their column."""

import pytest

from sources.contracts import load_contracts
from sources.headers import read_header, score
from sources.layout import MATCH_THRESHOLD


def table(kind: str, name: str):
    return next(t for t in load_contracts()[kind].tables if t.table == name)


def best_column(kind: str, name: str, header: str) -> tuple[str | None, float]:
    scored = [(score(read_header(header), c.vocabulary), c.name) for c in table(kind, name).columns]
    value, column = max(scored)
    return (column if value >= MATCH_THRESHOLD else None), value


@pytest.mark.parametrize(
    ("kind", "name", "header", "column"),
    [
        # agency budgets: none of these is written in the contract
        ("agency", "agency_projects", "วงเงินงบประมาณที่ได้รับ\n(บาท)", "budget_allocated"),
        ("agency", "agency_projects", "Approved budget (THB)", "budget_allocated"),
        ("agency", "agency_projects", "งปม. ที่ได้รับ", "budget_allocated"),
        ("agency", "agency_projects", "ผลการเบิกจ่ายสะสม (บาท)", "budget_disbursed"),
        ("agency", "agency_projects", "Disb. amount (THB)", "budget_disbursed"),
        ("agency", "agency_projects", "ปีงบฯ", "fiscal_year"),
        ("agency", "agency_projects", "FY (B.E.)", "fiscal_year"),
        ("agency", "agency_projects", "แผนงาน/โครงการ", "project_name"),
        ("agency", "agency_projects", "หน่วยงานที่ดำเนินการ", "agency_name"),
        ("agency", "agency_projects", "อ.", "district_name"),
        ("agency", "agency_projects", "ต.", "subdistrict_name"),
        ("agency", "agency_projects", "ม.", "moo_no"),
        ("agency", "agency_projects", "รหัสหมู่บ้าน 8 หลัก (DOPA)", "village_code"),
        ("agency", "agency_projects", "พื้นที่เป้าหมาย\n(หมู่บ้าน/ตำบล/อำเภอ)", "village_name"),
        ("register", "register_villages", "Tambon (Sub-district)", "subdistrict_name"),
        ("register", "register_villages", "Village No.", "moo_no"),
        ("register", "register_villages", "วันที่จัดเวทีประชาคม", "community_vote_date"),
        ("register", "register_villages", "ระยะที่ดำเนินการ", "phase"),
        ("plans", "plan_items", "งบประมาณที่เสนอขอ (บาท)", "requested_budget"),
        ("plans", "plan_items", "กิจกรรม/แนวทางการพัฒนา", "activity"),
        # survey fields: whatever a form's author chose, XML names or Thai labels
        ("survey", "survey_households", "grp_hh/n_people", "members_count"),
        ("survey", "survey_households", "inc/farm", "income_agriculture"),
        ("survey", "survey_households", "รายได้จากการทำเกษตร (บาท/ปี)", "income_agriculture"),
        ("survey", "survey_households", "hh-head_id13", "head_citizen_id_hash"),
        ("survey", "survey_households", "วันที่สัมภาษณ์ครัวเรือน", "survey_date"),
        ("survey", "survey_households", "meta-instanceID", "submission_uuid"),
        ("survey", "survey_households", "SubmissionDate", "submitted_at"),
        ("survey", "survey_households", "ReviewState", "validation_status"),
        ("survey", "survey_members", "person/id13", "citizen_id_hash"),
        ("survey", "survey_members", "roster-gender", "sex"),
        ("survey", "survey_members", "ปีเกิด (พ.ศ.)", "birth_date"),
    ],
)
def test_a_header_worded_another_way_finds_its_column(kind, name, header, column):
    assert best_column(kind, name, header)[0] == column


@pytest.mark.parametrize(
    ("header", "not_column"),
    [
        ("ร้อยละ\nการเบิกจ่าย", "budget_disbursed"),  # a rate, not an amount
        ("งบประมาณ (บาท) คงเหลือ", "budget_allocated"),  # what is left, not what was given
        ("คงเหลือ (บาท)", "budget_disbursed"),
        ("ปีงบประมาณ", "budget_allocated"),
    ],
)
def test_a_header_with_an_excluded_word_never_takes_the_column(header, not_column):
    column = table("agency", "agency_projects").by_name[not_column]
    assert score(read_header(header), column.vocabulary) == 0.0


def test_units_in_brackets_give_the_amount_scale():
    assert read_header("งบประมาณ\n(พันบาท)").scale == 1000
    assert read_header("งบประมาณ (บาท)").scale == 1


def test_an_unknown_header_finds_nothing():
    assert best_column("agency", "agency_projects", "หมายเหตุ")[0] is None
    assert best_column("survey", "survey_households", "GPS (lat, long)")[0] is None


def test_personal_headers_are_recognised_however_worded():
    households = table("survey", "survey_households")
    for header in ("grp_head/head_name", "ชื่อ-สกุล หัวหน้าครัวเรือน", "เบอร์โทร", "SubmitterName",
                   "ผู้รับผิดชอบโครงการ", "_submitted_by"):  # fmt: skip
        assert households.is_personal(header, claimed=False), header
    assert not households.is_personal("grp_loc/village_name", claimed=True)


def test_every_source_kind_has_a_contract():
    assert set(load_contracts()) == {"register", "survey", "agency", "plans"}
