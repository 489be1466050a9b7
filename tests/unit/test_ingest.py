import datetime as dt

import duckdb

from sources.contracts import load_contracts
from sources.ingest import read_landing_file, write_raw_tables
from sources.normalize import citizen_id_check_digit
from sources.pseudonymize import pseudonymize
from tests.helpers import write_xlsx

KEY = b"unit-test-key"
REGISTER_HEADER = ["ลำดับ", "ระยะ", "จังหวัด", "อำเภอ", "ตำบล", "หมู่ที่", "ชื่อหมู่บ้าน",
                   "รหัสหมู่บ้าน", "วันที่ทำประชาคม", "หมายเหตุ"]  # fmt: skip


def register_rows():
    return [
        ["ทะเบียนหมู่บ้านเป้าหมาย โครงการร้อยใจรักษ์"],
        [],
        REGISTER_HEADER,
        [1, "ระยะที่ 1", "จ.เชียงราย", "อ.แม่สาย", "ต.เวียงพางคำ", "ม.๕", "บ้านป่าซาง",
         57020505, "5 ม.ค. 63", "ok"],
        [2, "1", "เชียงราย", "แม่สาย", "โป่งผา", "3", "บ้านดอยลาน", "57020803",
         dt.datetime(2020, 1, 7), None],
        [3, "1", "เชียงราย", "แม่สาย", "โป่งผา", "4", "บ้านห้วยไคร้", "57020804", "31/02/2563", None],
        ["รวม", None, None, None, None, None, "3 หมู่บ้าน"],
    ]  # fmt: skip


def test_register_sheet_below_a_title_block(tmp_path):
    path = write_xlsx(tmp_path / "register.xlsx", {"ระยะที่ 1": register_rows()})
    result = read_landing_file(path, load_contracts()["register"], KEY)

    assert result.error is None
    rows = result.rows["register_villages"]
    assert [r["village_code"] for r in rows] == ["57020505", "57020803"]
    assert rows[0]["moo_no"] == 5
    assert rows[0]["community_vote_date"] == dt.date(2020, 1, 5)
    assert rows[1]["community_vote_date"] == dt.date(2020, 1, 7)
    assert (rows[0]["_sheet"], rows[0]["_row_number"]) == ("ระยะที่ 1", 4)
    assert result.totals_rows == 1
    assert result.unknown_headers == ["หมายเหตุ"]


def test_a_bad_value_rejects_its_row_naming_file_sheet_row_and_column(tmp_path):
    path = write_xlsx(tmp_path / "register.xlsx", {"ระยะที่ 1": register_rows()})
    result = read_landing_file(path, load_contracts()["register"], KEY)

    (rejected,) = result.rejected
    assert str(rejected) == (
        "register.xlsx, sheet 'ระยะที่ 1', row 6, column 'community_vote_date': "
        "not a date: '31/02/2563'"
    )


def test_a_file_without_a_known_header_fails_with_its_name(tmp_path):
    path = write_xlsx(tmp_path / "minutes.xlsx", {"บันทึก": [["วาระการประชุม"], ["1. เปิดประชุม"]]})
    result = read_landing_file(path, load_contracts()["register"], KEY)
    assert result.rows == {}
    assert "minutes.xlsx: no sheet has the header row of a register file" in result.error


def valid_citizen_id(first_twelve="350010012345"):
    return first_twelve + str(citizen_id_check_digit(first_twelve))


def test_survey_identifiers_are_pseudonymised_and_personal_columns_not_read(tmp_path):
    citizen_id = valid_citizen_id()
    path = write_xlsx(
        tmp_path / "kobo.xlsx",
        {
            "survey": [
                ["_id", "survey/survey_date", "location/village_code", "household/head_name",
                 "household/head_cid", "household/phone", "household/members_count"],
                [101, "2020-01-15", "57020505", "นายสมชาย ใจดี", citizen_id, "081-234-5678", 4],
                [102, "2020-01-16", "57020505", "นางสมศรี ใจดี", "1234567890123", "", 2],
            ]
        },
    )  # fmt: skip
    result = read_landing_file(path, load_contracts()["survey"], KEY)

    first, second = result.rows["survey_households"]
    assert first["head_citizen_id_hash"] == pseudonymize(citizen_id, KEY)
    assert first["head_citizen_id_is_valid"] is True
    assert second["head_citizen_id_is_valid"] is False  # flagged, not rejected
    assert result.unknown_headers == []  # name and phone are known personal columns
    values = {str(v) for row in result.rows["survey_households"] for v in row.values()}
    assert not values & {citizen_id, "1234567890123", "นายสมชาย ใจดี", "081-234-5678"}


def test_raw_tables_are_replaced_with_typed_columns_and_lineage(tmp_path):
    path = write_xlsx(tmp_path / "register.xlsx", {"ระยะที่ 1": register_rows()})
    contract = load_contracts()["register"]
    result = read_landing_file(path, contract, KEY)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        assert write_raw_tables(connection, contract, [result]) == {"register_villages": 2}
        assert write_raw_tables(connection, contract, [result]) == {"register_villages": 2}
        rows = connection.execute(
            "select village_code, phase, community_vote_date, _file_name, _row_number "
            "from raw.register_villages order by _row_number"
        ).fetchall()
    assert rows == [
        ("57020505", 1, dt.date(2020, 1, 5), "register.xlsx", 4),
        ("57020803", 1, dt.date(2020, 1, 7), "register.xlsx", 5),
    ]
