"""What is due and missing fails the run, on copies of the sample landing folder with files
taken away or doctored, run through `make run`'s own entry point (its exit code and summary):
no survey file, one province's register gone, one agency's report gone, a sheet whose totals
row disagrees with its rows, and a follow-up round judged before and after its due date."""

import contextlib
import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest

from expectations.results import run_records
from orchestration import run
from serving.publication import PublishedPaths, read_manifest
from sources.sample.generate import write_corrupt_workbook
from sources.settings import SAMPLE_LANDING_DIR, load_settings

PHAYAO_HEALTH = "สำนักงานสาธารณสุขจังหวัดพะเยา"
LAST_FOLLOW_UP = "roijai_followup_2565"
REGISTER_CSV = "ทะเบียนหมู่บ้านเป้าหมาย_ไม่รวมแม่ฮ่องสอน.csv"
BUDGET_CSV = "โครงการ_ยอดรวมไม่ตรง.csv"
CORRUPT = "รายงานโครงการ_ไฟล์เสีย.xlsx"  # the name sources.sample.generate gives it


def run_make_run(root: Path, landing: Path, as_of: str | None = None):
    """`make run` on this landing folder: its exit code, its summary and the run's checks."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROIJAI_DATA_DIR", str(root / "data"))
        patch.setenv("ROIJAI_LANDING_DIR", str(landing))
        patch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
        patch.delenv("DAGSTER_HOME", raising=False)
        if as_of:
            patch.setenv("ROIJAI_AS_OF", as_of)
        summary = io.StringIO()
        with contextlib.redirect_stdout(summary):
            exit_code = run.main()
        settings = load_settings()
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        (run_id,) = connection.execute(
            "select run_id from quality.pipeline_runs order by finished_at desc limit 1"
        ).fetchone()
        records = run_records(connection, run_id)
    return exit_code, summary.getvalue(), records, settings


def check(records, name: str, asset: str = "mart_reporting_completeness"):
    (record,) = [r for r in records if r.check_name == name and r.asset_key == asset]
    return record


def failures(records, name: str, asset: str = "mart_reporting_completeness") -> list[str]:
    record = check(records, name, asset)
    assert record.passed is False, f"{asset} {name} passed"
    return record.details.splitlines()


def sample_villages(warehouse) -> list[tuple]:
    return warehouse.execute(
        "select phase, province_name_th, district_name_th, subdistrict_name_th, moo_no, "
        "village_name_th, village_code, province_code from mart_village order by village_code"
    ).fetchall()


@pytest.fixture(scope="module")
def no_surveys(tmp_path_factory, warehouse_villages):
    """No survey file at all, one agency's report taken away, an agency sheet whose grand total
    is one baht more than its lines, and a workbook cut short in transfer: one run."""
    root = tmp_path_factory.mktemp("no_surveys")
    landing = root / "landing"
    shutil.copytree(SAMPLE_LANDING_DIR, landing)
    for path in (landing / "survey").iterdir():
        path.unlink()
    for path in (landing / "agency").glob(f"{PHAYAO_HEALTH}*"):
        path.unlink()
    villages = [v for v in warehouse_villages if v[7] == "57"][:2]
    with (landing / "agency" / BUDGET_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ปีงบประมาณ", "หน่วยงาน", "ชื่อโครงการ", "รหัสหมู่บ้าน", "งบประมาณจัดสรร",
                         "เบิกจ่าย"])  # fmt: skip
        for number, village in enumerate(villages):
            writer.writerow(["2565", "สำนักงานพัฒนาชุมชนจังหวัดเชียงราย", f"โครงการทดสอบ {number}",
                             village[6], "100000", "50000"])  # fmt: skip
        writer.writerow(["รวม", "", "", "", "200001", "100000"])
    write_corrupt_workbook(landing / "agency")
    return run_make_run(root, landing)


@pytest.fixture(scope="module")
def warehouse_villages(sample_run, pipeline_env):
    with duckdb.connect(str(pipeline_env.duckdb_path), read_only=True) as connection:
        return sample_villages(connection)


def test_no_survey_file_fails_the_run_naming_the_rounds_due_and_publishes_the_rest(no_surveys):
    exit_code, summary, records, settings = no_surveys
    assert exit_code != 0
    rounds = failures(records, "survey_rounds_received")
    for phase, round_, what in ((1, 1, "baseline"), (1, 3, "follow-up of FY 2565"),
                                (2, 1, "baseline"), (2, 2, "follow-up of FY 2565")):  # fmt: skip
        assert any(line.startswith(f"- phase {phase}, round {round_} (phase {phase} {what}")
                   for line in rounds), (phase, round_, rounds)  # fmt: skip
    assert "no survey rows are loaded" in check(records, "due_sources_loaded").details
    assert "INCOMPLETE" in summary and "survey_rounds_received" in summary
    assert "survey      0 of 313 received" in summary.replace("survey    ", "survey      ")
    # what passed is published, with what is missing in the manifest
    manifest = read_manifest(PublishedPaths(settings.published_dir))
    survey = manifest["completeness"]["sources"]["survey"]
    assert survey["reports_received"] == 0 and survey["reports_missing"] == 313
    assert survey["missing_since"] == "2020-09-30"


def test_an_agency_report_not_received_is_a_warning_naming_agency_province_and_year(no_surveys):
    _, summary, records, _ = no_surveys
    record = check(records, "agency_reports_received")
    assert record.passed is False and record.severity == "warn"
    for year in (2563, 2564, 2565):
        assert (
            f"{PHAYAO_HEALTH}, province 56 (พะเยา), fiscal year {year}: no projects and budget "
            "report" in record.details
        )
    assert "FAILED (WARN) mart_reporting_completeness agency_reports_received" in summary


def test_a_budget_total_one_baht_off_its_lines_fails_naming_file_sheet_and_row(no_surveys):
    _, _, records, _ = no_surveys
    agency = "agency/agency_projects"
    record = check(records, "control_totals_match", agency)
    assert record.severity == "error" and not record.blocks_publication
    lines = failures(records, "control_totals_match", agency)
    mismatches = [line for line in lines if BUDGET_CSV in line]
    assert mismatches == [
        f"- file {BUDGET_CSV}, sheet {Path(BUDGET_CSV).stem}, row 4 ('รวม') says "
        "budget_allocated = 200,001, the loaded rows sum to 200,000 (a difference of 1)"
    ]


def test_a_failed_file_fails_the_run_and_is_listed_with_since_when_its_data_is_missing(
    no_surveys,
):
    exit_code, summary, records, settings = no_surveys
    assert exit_code != 0
    record = check(records, "every_file_read", "agency/agency_projects")
    assert record.severity == "error" and not record.blocks_publication
    (line,) = [line for line in record.details.splitlines() if CORRUPT in line]
    assert line.startswith(f"- file {CORRUPT} could not be read")
    assert "its data is missing since 20" in line
    assert "failed file (since 20" in summary
    manifest = read_manifest(PublishedPaths(settings.published_dir))
    assert [(f["file_name"], f["status"]) for f in manifest["completeness"]["files_not_read"]] == [
        (CORRUPT, "failed")
    ]
    assert manifest["completeness"]["sources"]["agency"]["reports_missing"] == 3


def test_a_province_without_its_register_and_a_total_of_19_for_18_rows_fail(
    tmp_path, warehouse_villages
):
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE_LANDING_DIR, landing)
    for path in (landing / "register").iterdir():
        path.unlink()
    kept = [v for v in warehouse_villages if v[7] != "58"]  # no Mae Hong Son village
    with (landing / "register" / REGISTER_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ระยะ", "จังหวัด", "อำเภอ", "ตำบล", "หมู่ที่", "ชื่อหมู่บ้าน", "รหัสหมู่บ้าน"])
        writer.writerows(village[:7] for village in kept)
        writer.writerow([f"รวม {len(kept) + 1} หมู่บ้าน"])
    exit_code, _, records, _ = run_make_run(tmp_path, landing)
    assert exit_code != 0
    assert failures(records, "registers_received") == [
        "1 problem(s):",
        "- no target village register of province 58 (แม่ฮ่องสอน), due 2019-12-01",
    ]
    assert failures(records, "control_totals_match", "register/register_villages")[1:] == [
        f"- file {REGISTER_CSV}, sheet {Path(REGISTER_CSV).stem}, row {len(kept) + 2} "
        f"('รวม {len(kept) + 1} หมู่บ้าน') says {len(kept) + 1} rows, {len(kept)} loaded"
    ]


@pytest.fixture(scope="module")
def without_last_follow_up(tmp_path_factory):
    root = tmp_path_factory.mktemp("without_last_follow_up")
    landing = root / "landing"
    shutil.copytree(SAMPLE_LANDING_DIR, landing)
    for path in (landing / "survey").glob(f"{LAST_FOLLOW_UP}*"):
        path.unlink()
    return landing


@pytest.mark.parametrize(
    ("as_of", "missing"),
    [("2022-09-29", False), ("2022-10-01", True)],
    ids=["before-the-due-date", "after-the-due-date"],
)
def test_a_missing_follow_up_round_fails_only_once_it_is_due(
    without_last_follow_up, tmp_path, as_of, missing
):
    _, _, records, _ = run_make_run(tmp_path, without_last_follow_up, as_of)
    received = check(records, "survey_rounds_received")
    if not missing:
        assert received.passed, received.details
        return
    assert received.passed is False
    assert "- phase 1, round 3 (phase 1 follow-up of FY 2565, due 2022-09-30)" in received.details
    assert "- phase 2, round 2 (phase 2 follow-up of FY 2565, due 2022-09-30)" in received.details


def test_the_sample_meets_its_calendar_and_its_own_totals(sample_run):
    records = {(r.asset_key, r.check_name): r for r in sample_run.decision.records}
    totals = [r for (asset, name), r in records.items() if name == "control_totals_match"]
    assert len(totals) == 4 and all(r.passed for r in totals)
    assert records[("agency/agency_projects", "control_totals_match")].observed["totals_rows"] > 0
    for name in ("due_sources_loaded", "registers_received", "survey_rounds_received"):
        assert records[("mart_reporting_completeness", name)].passed
    assert sample_run.decision.green
