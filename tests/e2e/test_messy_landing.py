"""A generated messy landing folder through real Dagster runs: nothing read is lost, nothing
loads twice, a changed file replaces its rows, a corrupt file fails alone."""

import csv
import io
import re

import dagster as dg
import duckdb
import pytest
import python_calamine

from orchestration.run import run_pipeline
from sources.sample.generate import UNKNOWN_VILLAGE_CODE, generate
from sources.settings import settings_shared_with_dbt
from tests.e2e.landing_counts import non_blank_rows_per_sheet

# Labels that start a header row in the generator's files (independent of the contracts).
HEADER_MARKERS = {"ลำดับ", "ที่", "รหัสหมู่บ้าน", "_id", "SubmissionDate", "PARENT_KEY",
                  "members/member_name"}  # fmt: skip
NUMBER = re.compile(r"[0-9๐-๙][0-9๐-๙.,]*")
KIND_TABLES = {
    "register": ["raw.register_villages"],
    "survey": ["raw.survey_households", "raw.survey_members"],
    "agency": ["raw.agency_projects"],
    "plans": ["raw.plan_items"],
}


def raw_sheets(path):
    """A file's sheets as lists of rows, read directly (not by the code under test)."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp874")
        return [list(csv.reader(io.StringIO(text)))]
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return [workbook.get_sheet_by_name(n).to_python() for n in workbook.sheet_names]


def header_rows(cells, start):
    """The header row at ``start``, and the row under it when that holds sub-headers (two or
    more labels and no number: the second row of a two-row header)."""
    below = cells[start + 1] if start + 1 < len(cells) else []
    two_rows = len(set(below)) >= 2 and not any(NUMBER.fullmatch(c) for c in below)
    return cells[start : start + 2 if two_rows else start + 1]


def data_rows(path) -> int:
    """Rows below each sheet's header (one or two rows) with two or more values (one value
    across a row is a note or a section heading), totals and subtotal rows (รวม...) and the
    header repeated (a second printout pasted below the first) excepted."""
    count = 0
    for rows in raw_sheets(path):
        cells = [[str(c).strip() for c in row if c not in (None, "")] for row in rows]
        start = next((i for i, row in enumerate(cells) if HEADER_MARKERS & set(row)), None)
        if start is None:
            continue
        header = header_rows(cells, start)
        count += sum(
            1
            for row in cells[start + len(header) :]
            if len(set(row)) >= 2 and not row[0].startswith("รวม") and row not in header
        )
    return count


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    root = tmp_path_factory.mktemp("messy")
    generate(root / "landing", seed=7, households=250, corrupt=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROIJAI_DATA_DIR", str(root / "data"))
        patch.setenv("ROIJAI_LANDING_DIR", str(root / "landing"))
        patch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
        settings = settings_shared_with_dbt()
        with dg.DagsterInstance.ephemeral() as instance:
            first = run_pipeline(settings, instance)
            yield settings, first, instance


def query(settings, sql, parameters=()):
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def test_every_row_read_is_loaded_or_quarantined(messy):
    settings, first, _ = messy
    assert first.success
    ledger = query(
        settings,
        "select file_name, source_kind, file_sha256, rows_read, rows_loaded, rows_quarantined "
        "from raw.ingest_ledger where status in ('loaded', 'partial')",
    )
    assert len(ledger) >= 10
    for name, kind, sha, read, loaded, quarantined in ledger:
        in_tables = sum(
            query(settings, f"select count(*) from {t} where _file_sha256 = ?", [sha])[0][0]
            for t in KIND_TABLES[kind]
        )
        in_quarantine = query(
            settings, "select count(*) from raw.ingest_quarantine where file_sha256 = ?", [sha]
        )[0][0]
        assert (loaded, quarantined) == (in_tables, in_quarantine), name
        assert read == loaded + quarantined == data_rows(settings.landing_dir / kind / name), name


def test_every_sheet_is_in_the_ledger_and_accounts_for_its_rows(messy):
    """Per sheet: rows read = loaded + quarantined, the sheet's non-blank rows are those of an
    independent count, and the sheets of a file add up to the file."""
    settings, _, _ = messy
    sheets = query(
        settings,
        "select l.file_name, l.source_kind, s.sheet, s.status, s.rows_read, s.rows_loaded, "
        "s.rows_quarantined, s.non_blank_rows, l.rows_read from raw.ingest_ledger l "
        "join raw.ingest_sheets s using (file_sha256, file_name) "
        "where l.status in ('loaded', 'partial')",
    )
    files = {}
    for name, kind, sheet, status, read, loaded, quarantined, _, file_read in sheets:
        files.setdefault((kind, name), (file_read, []))[1].append(read)
        assert read == loaded + quarantined, (name, sheet)
        if status == "ignored":
            assert read == 0, (name, sheet)
    for (kind, name), (file_read, per_sheet) in files.items():
        counted = non_blank_rows_per_sheet(settings.landing_dir / kind / name)
        recorded = {sheet: non_blank for n, _, sheet, *_, non_blank, _ in sheets if n == name}
        assert recorded == counted, name
        assert file_read == sum(per_sheet), name


def test_a_corrupt_file_fails_alone_with_a_clear_error(messy):
    settings, *_ = messy
    (row,) = query(
        settings, "select file_name, error from raw.ingest_ledger where status = 'failed'"
    )
    assert row[0] == "รายงานโครงการ_ไฟล์เสีย.xlsx"
    assert row[1].startswith("รายงานโครงการ_ไฟล์เสีย.xlsx: not a readable workbook")
    loaded_agency_files = query(
        settings,
        "select count(*) from raw.ingest_ledger where source_kind = 'agency' "
        "and status in ('loaded', 'partial')",
    )
    assert loaded_agency_files == [(4,)]


def test_a_duplicate_under_another_name_loads_nothing(messy):
    settings, *_ = messy
    ((name, error),) = query(
        settings, "select file_name, error from raw.ingest_ledger where status = 'duplicate'"
    )
    assert error.startswith("same content as ")
    assert query(
        settings, "select count(*) from raw.agency_projects where _file_name = ?", [name]
    ) == [(0,)]


def test_unknown_villages_are_quarantined_with_their_reason(messy):
    settings, *_ = messy
    reasons = query(
        settings,
        "select distinct column_name, reason from raw.ingest_quarantine "
        "where reason like 'unknown subdistrict%'",
    )
    assert ("village_code", f"unknown subdistrict code {UNKNOWN_VILLAGE_CODE[:6]}") in reasons
    assert any("unknown subdistrict 'ที่ไม่มีจริง'" in reason for _, reason in reasons)


def test_a_second_run_loads_nothing_again_and_a_changed_file_replaces_its_rows(messy):
    settings, _, instance = messy
    before = query(settings, "select count(*) from raw.ingest_ledger")[0][0]
    (plans,) = sorted((settings.landing_dir / "plans").glob("*ระยะที่2*.csv"))
    lines = plans.read_text(encoding="utf-8-sig").splitlines()
    plans.write_text("\n".join([*lines, lines[-1]]) + "\n", encoding="utf-8-sig")  # one more row
    old_sha = query(
        settings, "select file_sha256 from raw.ingest_ledger where file_name = ?", [plans.name]
    )[0][0]

    second = run_pipeline(settings, instance)

    assert second.success
    ledger = query(
        settings,
        "select file_sha256, status, rows_read from raw.ingest_ledger where file_name = ? "
        "order by status",
        [plans.name],
    )
    assert [status for _, status, _ in ledger] == ["loaded", "replaced"]
    assert ledger[1][0] == old_sha
    assert query(settings, "select count(*) from raw.ingest_ledger")[0][0] == before + 1
    rows = query(
        settings,
        "select count(*), count(distinct _file_sha256) from raw.plan_items where _file_name = ?",
        [plans.name],
    )
    assert rows == [(ledger[0][2], 1)]
    assert data_rows(plans) == ledger[0][2]
