import datetime as dt
import hashlib
import json
import os
import re
import shutil
import time

from sources import ingest as ingest_module
from sources.contracts import load_contracts
from sources.ingest import ingest_file, ingest_folder
from sources.landing import LandingState, scan_landing
from sources.normalize import citizen_id_check_digit
from sources.pseudonymize import pseudonymize
from sources.settings import REPO_ROOT
from tests.helpers import write_xlsx

KEY = b"unit-test-key"
REGISTER_HEADER = ["ลำดับ", "ระยะ", "จังหวัด", "อำเภอ", "ตำบล", "หมู่ที่", "ชื่อหมู่บ้าน",
                   "รหัสหมู่บ้าน", "วันที่ทำประชาคม", "หมายเหตุ"]  # fmt: skip


def ingest(warehouse, landing, kind, resolver):
    return ingest_folder(warehouse, landing, load_contracts()[kind], KEY, resolver)


def register_rows():
    return [
        ["ทะเบียนหมู่บ้านเป้าหมาย โครงการร้อยใจรักษ์"],
        [],
        REGISTER_HEADER,
        [1, "ระยะที่ 1", "จ.เชียงราย", "อ.แม่สาย", "ต.เวียงพางคำ", "ม.๕", "บ้านป่าซาง",
         57090605, "5 ม.ค. 63", "ok"],
        [2, "1", "เชียงราย", "แม่สาย", "โป่งผา", "3", "บ้านดอยลาน", "57090403",
         dt.datetime(2020, 1, 7), None],
        [3, "1", "เชียงราย", "แม่สาย", "โป่งผา", "4", "บ้านห้วยไคร้", "57090404", "31/02/2563", None],
        [],
        ["รวม", None, None, None, None, None, "3 หมู่บ้าน"],
    ]  # fmt: skip


def write_register(folder, name="register.xlsx", rows=None):
    (folder / "register").mkdir(parents=True, exist_ok=True)
    return write_xlsx(folder / "register" / name, {"ระยะที่ 1": rows or register_rows()})


def test_register_below_a_title_block_loads_with_lineage(tmp_path, warehouse, resolver):
    write_register(tmp_path)
    (outcome,) = ingest(warehouse, tmp_path, "register", resolver)

    assert (outcome.status, outcome.rows_read, outcome.rows_loaded) == ("loaded", 3, 2)
    assert (outcome.rows_quarantined, outcome.rows_skipped) == (1, 2)  # a blank, a totals row
    rows = warehouse.execute(
        "select village_code, moo_no, community_vote_date, _sheet, _row_number, _extra "
        "from raw.register_villages order by _row_number"
    ).fetchall()
    assert rows[0][:5] == ("57090605", 5, dt.date(2020, 1, 5), "ระยะที่ 1", 4)
    assert rows[1][:5] == ("57090403", 3, dt.date(2020, 1, 7), "ระยะที่ 1", 5)
    assert json.loads(rows[0][5]) == {"หมายเหตุ": "ok"}  # an unknown column is kept
    assert outcome.unknown_headers == ["หมายเหตุ"]


def test_a_bad_value_quarantines_its_row_with_file_sheet_row_and_column(
    tmp_path, warehouse, resolver
):
    write_register(tmp_path)
    ingest(warehouse, tmp_path, "register", resolver)

    (row,) = warehouse.execute(
        "select file_name, sheet, row_number, column_name, reason, raw_record "
        "from raw.ingest_quarantine"
    ).fetchall()
    # the reason names no value: the value itself is only in raw_record
    assert row[:5] == ("register.xlsx", "ระยะที่ 1", 6, "community_vote_date", "not a date")
    assert json.loads(row[5])["ชื่อหมู่บ้าน"] == "บ้านห้วยไคร้"
    ledger = warehouse.execute(
        "select rows_read, rows_loaded, rows_quarantined from raw.ingest_ledger"
    ).fetchall()
    assert ledger == [(3, 2, 1)]


def test_a_file_without_a_known_header_fails_and_the_others_load(tmp_path, warehouse, resolver):
    write_register(tmp_path)
    write_xlsx(tmp_path / "register" / "minutes.xlsx", {"บันทึก": [["วาระการประชุม"], ["1."]]})
    (tmp_path / "register" / "corrupt.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    outcomes = {o.file_name: o for o in ingest(warehouse, tmp_path, "register", resolver)}

    assert outcomes["register.xlsx"].status == "loaded"
    assert outcomes["minutes.xlsx"].status == "failed"
    assert "minutes.xlsx: no sheet has the header row of a register file" in (
        outcomes["minutes.xlsx"].error
    )
    assert outcomes["corrupt.xlsx"].error.startswith("corrupt.xlsx: not a readable workbook")
    statuses = warehouse.execute(
        "select file_name, status from raw.ingest_ledger order by file_name"
    ).fetchall()
    assert statuses == [("corrupt.xlsx", "failed"), ("minutes.xlsx", "failed"),
                        ("register.xlsx", "loaded")]  # fmt: skip


def test_a_file_loads_once_a_copy_loads_nothing_and_a_change_replaces(
    tmp_path, warehouse, resolver
):
    path = write_register(tmp_path)
    ingest(warehouse, tmp_path, "register", resolver)
    (again,) = ingest(warehouse, tmp_path, "register", resolver)
    assert again.status == "unchanged"

    shutil.copy(path, tmp_path / "register" / "register copy.xlsx")
    outcomes = {o.file_name: o for o in ingest(warehouse, tmp_path, "register", resolver)}
    assert outcomes["register copy.xlsx"].status == "duplicate"
    assert warehouse.execute("select count(*) from raw.register_villages").fetchone() == (2,)

    (tmp_path / "register" / "register copy.xlsx").unlink()
    rows = register_rows()
    rows[5][8] = "29/02/2563"  # the agency fixed the bad date
    path.unlink()
    write_register(tmp_path, rows=rows)
    (changed,) = ingest(warehouse, tmp_path, "register", resolver)
    assert (changed.status, changed.rows_loaded, changed.rows_quarantined) == ("loaded", 3, 0)
    assert len(changed.replaced) == 1
    assert warehouse.execute("select count(*) from raw.register_villages").fetchone() == (3,)
    assert warehouse.execute("select count(*) from raw.ingest_quarantine").fetchone() == (0,)
    assert warehouse.execute(
        "select status, count(*) from raw.ingest_ledger group by all order by 1"
    ).fetchall() == [("duplicate", 1), ("loaded", 1), ("replaced", 1)]


def test_a_loaded_file_is_hashed_again_only_when_its_size_or_time_changed(
    tmp_path, warehouse, resolver, monkeypatch
):
    """The rule is rsync's: same size and modification time, same file. So a file rewritten
    in place with its old size and time is not seen (documented), and one touched is hashed
    once and its new time remembered."""
    path = write_register(tmp_path)
    ingest(warehouse, tmp_path, "register", resolver)
    hashed = []
    monkeypatch.setattr(ingest_module, "file_sha256", lambda p: hashed.append(p) or sha256(p))

    (again,) = ingest(warehouse, tmp_path, "register", resolver)
    assert (again.status, again.file_sha256, hashed) == ("unchanged", sha256(path), [])

    os.utime(path, ns=(time.time_ns(), time.time_ns() - 10**9))  # touched: same content
    (touched,) = ingest(warehouse, tmp_path, "register", resolver)
    assert (touched.status, hashed) == ("unchanged", [path])
    ingest(warehouse, tmp_path, "register", resolver)
    assert hashed == [path]  # its new time was remembered

    status = path.stat()
    rewritten = bytearray(path.read_bytes())
    rewritten[-30] ^= 1  # another content of the same size, and the old time put back
    path.write_bytes(bytes(rewritten))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    (unseen,) = ingest(warehouse, tmp_path, "register", resolver)
    assert (unseen.status, hashed) == ("unchanged", [path])

    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1000))  # a microsecond later
    (seen,) = ingest(warehouse, tmp_path, "register", resolver)
    assert seen.status in ("loaded", "failed") and seen.file_sha256 == sha256(path)


def test_a_ledger_without_fingerprints_hashes_each_file_once_then_remembers(
    tmp_path, warehouse, resolver, monkeypatch
):
    """A warehouse loaded before sizes and times were kept upgrades itself on its next run."""
    path = write_register(tmp_path)
    ingest(warehouse, tmp_path, "register", resolver)
    warehouse.execute("update raw.ingest_ledger set file_size = null, file_modified_at = null")
    hashed = []
    monkeypatch.setattr(ingest_module, "file_sha256", lambda p: hashed.append(p) or sha256(p))

    assert [o.status for o in ingest(warehouse, tmp_path, "register", resolver)] == ["unchanged"]
    assert [o.status for o in ingest(warehouse, tmp_path, "register", resolver)] == ["unchanged"]
    assert hashed == [path]
    (size, modified_at) = warehouse.execute(
        "select file_size, epoch_us(file_modified_at) from raw.ingest_ledger"
    ).fetchone()
    assert (size, modified_at) == (path.stat().st_size, path.stat().st_mtime_ns // 1000)


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def valid_citizen_id(first_twelve="350010012345"):
    return first_twelve + str(citizen_id_check_digit(first_twelve))


def all_text_values(warehouse) -> set[str]:
    values = set()
    for schema, table, column in warehouse.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'JSON')"
    ).fetchall():
        rows = warehouse.execute(f"select distinct {column}::varchar from {schema}.{table}")
        values |= {v for (v,) in rows.fetchall() if v is not None}
    return values


def test_survey_pseudonymises_ids_and_never_reads_personal_columns(tmp_path, warehouse, resolver):
    citizen_id = valid_citizen_id()
    (tmp_path / "survey").mkdir()
    write_xlsx(
        tmp_path / "survey" / "kobo.xlsx",
        {
            "survey": [
                ["_id", "survey/survey_date", "location/village_code", "household/head_name",
                 "household/head_cid", "household/phone", "household/members_count",
                 "contact/ชื่อผู้ให้ข้อมูล", "note", "drug/drug_use"],
                [101, "2020-01-15", "57090605", "นายสมชาย ใจดี", citizen_id, "081-234-5678", 4,
                 "นางสมใจ", "0812345678", "yes"],
                [102, "2020-01-16", "57090605", "นางสมศรี ใจดี", "1234567890123", "", 2,
                 None, "ok", None],
            ]
        },
    )  # fmt: skip
    (outcome,) = ingest(warehouse, tmp_path, "survey", resolver)

    assert outcome.rows_loaded == 2
    rows = warehouse.execute(
        "select head_citizen_id_hash, head_citizen_id_is_valid, _extra "
        "from raw.survey_households order by _row_number"
    ).fetchall()
    assert rows[0][0] == pseudonymize(citizen_id, KEY)
    assert [r[1] for r in rows] == [True, False]  # an invalid ID is flagged, not refused
    assert json.loads(rows[0][2]) == {"note": "[redacted]"}  # looked like a phone number
    assert sorted(outcome.personal_headers) == [
        "contact/ชื่อผู้ให้ข้อมูล", "household/head_name", "household/phone"]  # fmt: skip
    values = all_text_values(warehouse)
    for raw in (citizen_id, "1234567890123", "นายสมชาย ใจดี", "081-234-5678", "นางสมใจ"):
        assert not any(raw in v for v in values), raw
    # the drug answer is only in the restricted schema, linked to its household row
    assert "drug_use" not in {
        c for (c,) in warehouse.execute("select column_name from information_schema.columns "
                                        "where table_schema = 'raw'").fetchall()
    }  # fmt: skip
    assert warehouse.execute(
        "select drug_use, village_code, _row_number from restricted.survey_households"
    ).fetchall() == [("yes", "57090605", 2)]


def test_odk_members_link_by_parent_key_and_select_multiple_in_both_forms(
    tmp_path, warehouse, resolver
):
    (tmp_path / "survey").mkdir()
    (tmp_path / "survey" / "households.csv").write_text(
        "KEY,survey_date,village_code,problems,problems-water,problems-debt\n"
        "uuid:a,2020-01-15,57090605,land debt,0,1\n"
        "uuid:b,2020-01-16,57090605,,1,0\n",
        encoding="utf-8",
    )
    (tmp_path / "survey" / "households-members.csv").write_text(
        "PARENT_KEY,KEY,member-sex,member-birth_date\n"
        "uuid:a,uuid:a/members[1],หญิง,2500-01-01\n"
        "uuid:b,uuid:b/members[1],ชาย,01/02/2530\n",
        encoding="utf-8",
    )
    outcomes = ingest(warehouse, tmp_path, "survey", resolver)
    assert [o.rows_loaded for o in outcomes] == [2, 2]
    assert warehouse.execute(
        "select submission_id, problems from raw.survey_households order by 1"
    ).fetchall() == [("uuid:a", "debt land"), ("uuid:b", "water")]
    assert warehouse.execute(
        "select parent_key, sex, birth_date from raw.survey_members order by 1"
    ).fetchall() == [("a", "female", dt.date(1957, 1, 1)), ("b", "male", dt.date(1987, 2, 1))]


def test_csv_in_windows_874_with_a_title_line(tmp_path, warehouse, resolver):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plans.csv").write_bytes(
        ("แผนพัฒนาหมู่บ้าน ปี 2563\r\n"
         "รหัสหมู่บ้าน,วันที่จัดทำแผน,กิจกรรม,งบประมาณที่ขอ (บาท)\r\n"
         "57090605,1 มี.ค. 63,ฝายชะลอน้ำ,\"120,000\"\r\n"
         "57090605,1 มี.ค. 63,โรงเรือน,๕๐๐๐๐\r\n").encode("cp874")
    )  # fmt: skip
    (outcome,) = ingest(warehouse, tmp_path, "plans", resolver)
    assert outcome.rows_loaded == 2
    assert warehouse.execute(
        "select activity, requested_budget, plan_date, _row_number from raw.plan_items order by 4"
    ).fetchall() == [("ฝายชะลอน้ำ", 120000.0, dt.date(2020, 3, 1), 3),
                     ("โรงเรือน", 50000.0, dt.date(2020, 3, 1), 4)]  # fmt: skip


def test_unresolvable_villages_are_quarantined_with_their_reason(tmp_path, warehouse, resolver):
    rows = [
        *register_rows()[:3],
        [1, "1", "เชียงราย", None, "เวียง", "2", "บ้านก", None, None, None],  # 5 tambons named เวียง
        [2, "1", "เชียงราย", "แม่สาย", "ไม่มีตำบลนี้", "2", "บ้านข", None, None, None],
        [3, "1", "เชียงราย", "แม่สาย", "โป่งผา", "7", "บ้านค", None, None, None],
    ]  # fmt: skip
    write_register(tmp_path, rows=rows)
    (outcome,) = ingest(warehouse, tmp_path, "register", resolver)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 2)
    reasons = warehouse.execute(
        "select row_number, column_name, reason from raw.ingest_quarantine order by 1"
    ).fetchall()
    assert [(r, c) for r, c, _ in reasons] == [(4, "village_code"), (5, "village_code")]
    assert "ambiguous" in reasons[0][2] and "candidates: " in reasons[0][2]
    assert "unknown" in reasons[1][2]
    loaded = warehouse.execute(
        "select village_code, village_resolution from raw.register_villages"
    ).fetchone()
    assert loaded == ("57090407", "names")


def test_ingest_file_names_the_file_of_a_failure(tmp_path, warehouse, resolver):
    (tmp_path / "plans").mkdir()
    empty = tmp_path / "plans" / "empty.csv"
    empty.write_bytes(b"")
    contract = load_contracts()["plans"]
    from sources.raw_tables import ensure_tables

    ensure_tables(warehouse, contract)
    outcome = ingest_file(warehouse, empty, contract, KEY, resolver, tmp_path)
    assert (outcome.status, outcome.error) == ("failed", "empty.csv: the file holds no data")


def test_a_failing_file_keeps_since_when_and_is_withdrawn_or_replaced_later(
    tmp_path, warehouse, resolver
):
    """A failed file is retried on every run and keeps when it was first seen; once it leaves
    the landing folder it is withdrawn; a good version under its name replaces it."""
    folder = tmp_path / "register"
    folder.mkdir()
    (folder / "cut.xlsx").write_bytes(b"PK\x03\x04 cut short")
    (folder / "other.xlsx").write_bytes(b"PK\x03\x04 cut short too")
    ingest(warehouse, tmp_path, "register", resolver)
    first_seen = warehouse.execute(
        "select file_name, first_seen_at, arrived_at <= first_seen_at from raw.ingest_ledger "
        "order by file_name"
    ).fetchall()
    ingest(warehouse, tmp_path, "register", resolver)  # retried: still failed, since the first
    assert (
        warehouse.execute(
            "select file_name, first_seen_at, arrived_at <= first_seen_at from raw.ingest_ledger "
            "where status = 'failed' order by file_name"
        ).fetchall()
        == first_seen
    )
    assert all(arrived for _, _, arrived in first_seen)

    (folder / "other.xlsx").unlink()
    write_register(tmp_path, name="cut.xlsx")
    ingest(warehouse, tmp_path, "register", resolver)
    assert warehouse.execute(
        "select file_name, status from raw.ingest_ledger order by file_name, status"
    ).fetchall() == [("cut.xlsx", "loaded"), ("cut.xlsx", "replaced"), ("other.xlsx", "withdrawn")]


PERSONAL = ["หมี่จู", "ยอดชา", "สมหญิง"]  # names in the sample survey, and a citizen ID below


def survey_lines() -> list[str]:
    sample = (
        REPO_ROOT / "sources" / "sample" / "landing" / "survey" / "roijai_followup_2564_odk.csv"
    )
    return sample.read_text(encoding="utf-8-sig").splitlines()


def test_a_line_a_reader_chokes_on_is_quarantined_alone_and_nothing_quotes_it(
    tmp_path, warehouse, resolver
):
    """DuckDB quotes the line it cannot parse and the lines after it: a line with a stray
    quote is quarantined alone, by its number and a reason, and the rest of its file loads; a
    cell past the cell limit fails its file, naming the row and column. The other files load,
    and no name, citizen ID or answer of those lines reaches the ledgers, the quarantine or
    the outcome."""
    (tmp_path / "survey").mkdir()
    lines = survey_lines()
    fields = lines[4].split(",")
    fields[3] = '"' + fields[3]  # one stray quote in line 5
    lines[4] = ",".join(fields)
    lines[6] = lines[6].replace(lines[6].split(",")[5], "สมหญิง มีสุข 1101700203451", 1)
    (tmp_path / "survey" / "stray_quote.csv").write_text("\n".join(lines), encoding="utf-8")
    huge = survey_lines()
    huge[3] = huge[3] + "," + "สมหญิง " * 400_000  # a 2.8 MB cell
    (tmp_path / "survey" / "huge_cell.csv").write_text("\n".join(huge), encoding="utf-8")
    shutil.copy(
        REPO_ROOT / "sources" / "sample" / "landing" / "survey" / "roijai_followup_2565_odk.csv",
        tmp_path / "survey" / "good.csv",
    )
    outcomes = {o.file_name: o for o in ingest(warehouse, tmp_path, "survey", resolver)}
    assert outcomes["good.csv"].status == "loaded" and outcomes["good.csv"].rows_loaded > 0
    data_lines = len(lines) - 1
    stray = outcomes["stray_quote.csv"]
    assert (stray.status, stray.rows_read) == ("loaded", data_lines)
    assert stray.rows_loaded + stray.rows_quarantined == data_lines
    (row,) = warehouse.execute(
        "select row_number, reason, raw_record from raw.ingest_quarantine "
        "where file_name = 'stray_quote.csv' and column_name is null"
    ).fetchall()
    assert row == (
        5,
        "a quote opened on this line is not closed: the line cannot be split into cells",
        None,
    )
    assert outcomes["huge_cell.csv"].status == "failed"
    assert outcomes["huge_cell.csv"].error.startswith(
        "huge_cell.csv: sheet 'huge_cell' row 4 column 23: a cell of 2,799,999 characters, "
        "more than ROIJAI_MAX_CELL_CHARS="
    )  # the cell as read: its last space trimmed
    reported = " ".join(
        str(value)
        for table in ("raw.ingest_ledger", "raw.ingest_sheets", "raw.ingest_quarantine")
        for record in warehouse.execute(f"select * from {table}").fetchall()
        for value in record
    ) + " ".join(str(o) for o in outcomes.values())
    assert not any(word in reported for word in PERSONAL)
    assert not re.search(r"\d{13}", reported)  # no citizen ID
    errors = " ".join(o.error or "" for o in outcomes.values())
    assert "uuid:" not in errors and "no," not in errors  # no line quoted


def test_links_out_of_the_landing_folder_are_refused_unread(tmp_path, warehouse, resolver):
    """A link to a file (or a folder) outside the landing folder could hand the pipeline any
    file its account can read: it is recorded as failed and its target never opened."""
    landing, outside = tmp_path / "landing", tmp_path / "outside"
    write_register(landing, "register.xlsx")
    write_register(outside, "elsewhere.xlsx")
    (landing / "register" / "linked.xlsx").symlink_to(outside / "register" / "elsewhere.xlsx")
    (landing / "register" / "linked_folder").symlink_to(outside / "register")
    outcomes = {o.file_name: o for o in ingest(warehouse, landing, "register", resolver)}
    assert outcomes["register.xlsx"].status == "loaded"
    for name in ("linked.xlsx", "linked_folder"):  # a linked folder is refused, not walked
        assert outcomes[name].status == "failed"
        assert outcomes[name].error.endswith(
            "a link to outside the landing folder, refused (not read)"
        )
    (files,) = warehouse.execute(
        "select count(distinct _file_name) from raw.register_villages"
    ).fetchone()
    assert files == 1
    scan = scan_landing(landing, LandingState(), settle_seconds=0)
    assert sorted(scan.new_files) == ["register/register.xlsx"]


def test_a_file_still_arriving_is_left_for_a_later_run(tmp_path, warehouse, resolver):
    """A file changed less than the settle interval ago may still be being copied in: it is
    neither read nor recorded, and the sensor does not mark its content as seen. Temporary
    names of copies and downloads are never listed."""
    path = write_register(tmp_path, "register.xlsx")
    for name in ("register.xlsx.part", "download.crdownload", "~$register.xlsx", "x.tmp"):
        (tmp_path / "register" / name).write_bytes(b"half a file")
    contract = load_contracts()["register"]
    (outcome,) = ingest_folder(warehouse, tmp_path, contract, KEY, resolver, settle_seconds=60)
    assert (outcome.file_name, outcome.status) == ("register.xlsx", "arriving")
    assert warehouse.execute("select count(*) from raw.ingest_ledger").fetchone() == (0,)
    assert scan_landing(tmp_path, LandingState(), settle_seconds=60).new_files == {}
    two_minutes_ago = time.time() - 120
    os.utime(path, (two_minutes_ago, two_minutes_ago))
    (outcome,) = ingest_folder(warehouse, tmp_path, contract, KEY, resolver, settle_seconds=60)
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 2)
    assert list(scan_landing(tmp_path, LandingState(), settle_seconds=60).new_files) == [
        "register/register.xlsx"
    ]


def test_a_file_written_to_while_it_is_read_is_not_loaded(
    tmp_path, warehouse, resolver, monkeypatch
):
    path = write_register(tmp_path, "register.xlsx")
    parse = ingest_module._parse_file

    def parse_while_the_agency_saves_again(*arguments):
        parse(*arguments)
        with path.open("ab") as handle:
            handle.write(b"more")

    monkeypatch.setattr(ingest_module, "_parse_file", parse_while_the_agency_saves_again)
    (outcome,) = ingest(warehouse, tmp_path, "register", resolver)
    assert outcome.status == "arriving"
    assert warehouse.execute("select count(*) from raw.register_villages").fetchone() == (0,)
    assert warehouse.execute("select count(*) from raw.ingest_ledger").fetchone() == (0,)


def register_csv(path, rows):
    """A register as a CSV: the header, then ``rows`` (lists of cells) as they are."""
    lines = [",".join(REGISTER_HEADER)] + [",".join(str(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def village_row(number, note="ok"):
    return [number, "1", "เชียงราย", "แม่สาย", "โป่งผา", "3", "บ้านดอยลาน", "57090403", "", note]


def failed_files(outcomes) -> dict[str, str]:
    return {o.file_name: o.error for o in outcomes if o.status == "failed"}


def test_a_file_larger_than_its_limit_is_refused_unread(tmp_path, warehouse, resolver, monkeypatch):
    monkeypatch.setenv("ROIJAI_MAX_CSV_MB", "0.5")
    monkeypatch.setenv("ROIJAI_MAX_WORKBOOK_MB", "0.1")
    write_register(tmp_path, "good.xlsx")
    folder = tmp_path / "register"
    register_csv(folder / "big.csv", [village_row(n) for n in range(1, 6000)])
    notes = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(20_000)]
    big = [REGISTER_HEADER] + [village_row(n, note) for n, note in enumerate(notes, start=1)]
    size = write_xlsx(folder / "big.xlsx", {"ระยะที่ 1": big}).stat().st_size / 1e6
    outcomes = ingest(warehouse, tmp_path, "register", resolver)
    assert [(o.file_name, o.rows_loaded) for o in outcomes if o.status == "loaded"] == [
        ("good.xlsx", 2)
    ]
    assert failed_files(outcomes) == {
        "big.csv": "big.csv: 0.7 MB, more than ROIJAI_MAX_CSV_MB=0.5: refused unread",
        "big.xlsx": f"big.xlsx: {size:.1f} MB, more than ROIJAI_MAX_WORKBOOK_MB=0.1: "
        "refused unread",
    }


def test_a_sheet_too_wide_or_a_cell_too_long_fails_alone_naming_the_limit(
    tmp_path, warehouse, resolver, monkeypatch
):
    """5,000 columns (once 14 minutes of work), and a long cell in a CSV's first lines (once a
    crash of Python's csv module), further down (DuckDB's reader), on a line longer than DuckDB
    reads (Python's reader) and in a workbook: each fails with the limit and where it was
    passed, quoting nothing of the file, and the good file beside them loads."""
    monkeypatch.setenv("ROIJAI_MAX_CELL_CHARS", "1000")
    write_register(tmp_path, "good.xlsx")
    folder = tmp_path / "register"
    wide = [REGISTER_HEADER + [f"คอลัมน์ {i}" for i in range(4990)], village_row(1) + [1] * 4990]
    write_xlsx(folder / "wide.xlsx", {"ระยะที่ 1": wide})
    register_csv(folder / "head_cell.csv", [village_row(1), village_row(2, "x" * 10_000_000)])
    deep = [village_row(n) for n in range(1, 150)]
    register_csv(folder / "deep_cell.csv", [*deep, village_row(150, "ข" * 5000)])
    register_csv(folder / "long_line.csv", [*deep, village_row(150, "x" * 3_000_000)])
    cell = [REGISTER_HEADER, village_row(1), village_row(2, "ข" * 5000)]
    write_xlsx(folder / "cell.xlsx", {"ระยะที่ 1": cell})

    started = time.monotonic()
    outcomes = ingest(warehouse, tmp_path, "register", resolver)
    assert time.monotonic() - started < 60
    assert [(o.file_name, o.rows_loaded) for o in outcomes if o.status == "loaded"] == [
        ("good.xlsx", 2)
    ]
    limit = "more than ROIJAI_MAX_CELL_CHARS=1000"
    assert failed_files(outcomes) == {
        "wide.xlsx": "wide.xlsx: sheet 'ระยะที่ 1': 5,000 columns, more than ROIJAI_MAX_COLUMNS=2000",
        "head_cell.csv": "head_cell.csv: sheet 'head_cell' row 3 column 10: a cell of "
        f"10,000,000 characters, {limit}",
        "deep_cell.csv": "deep_cell.csv: sheet 'deep_cell' row 151 column 10: a cell of "
        f"5,000 characters, {limit}",
        "long_line.csv": "long_line.csv: sheet 'long_line' row 151 column 10: a cell of "
        f"3,000,000 characters, {limit}",
        "cell.xlsx": "cell.xlsx: sheet 'ระยะที่ 1' row 3 column 10: a cell of 5,000 characters, "
        + limit,
    }
    assert warehouse.execute(
        "select count(*) from raw.ingest_ledger where status = 'failed'"
    ).fetchone() == (5,)


def test_a_file_read_for_longer_than_the_limit_fails_alone(
    tmp_path, warehouse, resolver, monkeypatch
):
    """A DuckDB statement still running at the deadline is interrupted; a stage in Python
    that ends past it stops the file before the next stage."""
    monkeypatch.setenv("ROIJAI_MAX_PARSE_SECONDS", "1")
    for number, name in enumerate(("good.xlsx", "slow_sql.xlsx", "slow_python.xlsx")):
        rows = register_rows()
        rows[3][9] = f"note {number}"  # three files, not copies of one
        write_register(tmp_path, name, rows)
    classify, find = ingest_module.classify_rows, ingest_module.find_layout

    def classify_slowly(connection, staged, kinds, layout):
        if slow == "sql":
            connection.execute("select count(*) from range(1000000000000)").fetchone()
        return classify(connection, staged, kinds, layout)

    def find_slowly(*arguments):
        if slow == "python":
            time.sleep(1.1)
        return find(*arguments)

    monkeypatch.setattr(ingest_module, "classify_rows", classify_slowly)
    monkeypatch.setattr(ingest_module, "find_layout", find_slowly)
    contract = load_contracts()["register"]
    from sources.raw_tables import ensure_tables

    ensure_tables(warehouse, contract)
    outcomes = {}
    for slow, name in (  # noqa: B007 (the slow stages read it)
        (None, "good.xlsx"),
        ("sql", "slow_sql.xlsx"),
        ("python", "slow_python.xlsx"),
    ):
        path = tmp_path / "register" / name
        started = time.monotonic()
        outcomes[name] = ingest_file(warehouse, path, contract, KEY, resolver, tmp_path)
        assert time.monotonic() - started < 10
    assert outcomes["good.xlsx"].status == "loaded"
    for name in ("slow_sql.xlsx", "slow_python.xlsx"):
        assert (outcomes[name].status, outcomes[name].error) == (
            "failed",
            f"{name}: reading took longer than ROIJAI_MAX_PARSE_SECONDS=1 s: stopped",
        )
    assert warehouse.execute(
        "select count(distinct _file_name) from raw.register_villages"
    ).fetchone() == (1,)


def test_a_sheet_of_1050_columns_loads_its_unknown_columns_kept(tmp_path, warehouse, resolver):
    """As a KoboToolbox export with a column per option can be: one SQL expression per column
    made DuckDB refuse 1,000 columns and more."""
    (tmp_path / "survey").mkdir()
    extra = [f"group/q{i}" for i in range(1046)]
    write_xlsx(
        tmp_path / "survey" / "wide.xlsx",
        {
            "survey": [
                ["_id", "survey/survey_date", "location/village_code", "note", *extra],
                [101, "2020-01-15", "57090605", "081-234-5678", *range(1046)],
                [102, "2020-01-16", "57090605", "ok", *range(1046)],
            ]
        },
    )
    (outcome,) = ingest(warehouse, tmp_path, "survey", resolver)
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 2)
    rows = warehouse.execute("select _extra from raw.survey_households order by 1").fetchall()
    first, second = (json.loads(extra_json) for (extra_json,) in rows)
    assert list(first) == ["note", *extra]  # in the sheet's order
    assert (first["note"], second["note"], first["group/q1045"]) == ("[redacted]", "ok", "1045")
