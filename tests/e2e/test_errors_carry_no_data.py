"""Errors never carry data: lines that break every reader, each holding a name, a citizen ID,
a phone number and a drug answer, go through `make run`'s entry point and `make status` in
processes of their own; none of those values reaches the console, the warehouse (ledgers,
quarantine, any table), the Dagster run storage and logs, or the status output."""

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from sources.settings import REPO_ROOT, SAMPLE_LANDING_DIR
from tests.helpers import warehouse_text, write_xlsx

NAME = "สมหญิง มีสุขใจ"
CITIZEN_ID = "1101700203451"
PHONE = "0812345678"
DRUG_ANSWER = "เสพยาบ้าทุกวัน"
MARKERS = (NAME, CITIZEN_ID, PHONE, DRUG_ANSWER)
SURVEY = SAMPLE_LANDING_DIR / "survey" / "roijai_followup_2564_odk.csv"


def personal_line(line: str, *, stray_quote: bool = False, extra_cells: int = 0) -> str:
    """A survey line whose name, ID and answer cells hold the markers, made unreadable."""
    cells = line.split(",")
    cells[5], cells[6], cells[19] = NAME, CITIZEN_ID, DRUG_ANSWER
    cells[7] = PHONE
    if stray_quote:
        cells[5] = '"' + cells[5]
    return ",".join(cells + [f"{DRUG_ANSWER} {PHONE}"] * extra_cells)


def write_hostile_landing(landing: Path) -> None:
    lines = SURVEY.read_text(encoding="utf-8-sig").splitlines()
    stray = list(lines)
    stray[4] = personal_line(stray[4], stray_quote=True)
    (landing / "survey" / "stray_quote.csv").write_text("\n".join(stray) + "\n", "utf-8")
    wide = list(lines)
    wide[3] = personal_line(wide[3], extra_cells=3)
    (landing / "survey" / "extra_cells.csv").write_text("\n".join(wide) + "\n", "utf-8")
    huge = list(lines)
    huge[2] = personal_line(huge[2]) + "," + (NAME + " ") * 20_000  # past the cell limit
    (landing / "survey" / "huge_cell.csv").write_text("\n".join(huge) + "\n", "utf-8")
    # a workbook whose sheet XML breaks off inside a cell that holds the markers
    whole = io.BytesIO()
    rows = [["ชื่อ-สกุล", "เลขบัตร", "โทร", "คำตอบ"], [NAME, CITIZEN_ID, PHONE, DRUG_ANSWER]] * 50
    write_xlsx(whole, {"ข้อมูล": rows})
    with (
        zipfile.ZipFile(whole) as source,
        zipfile.ZipFile(landing / "survey" / "broken_sheet.xlsx", "w") as broken,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith(("sheet1.xml", "sharedStrings.xml")):
                data = data[: len(data) * 2 // 3]
            broken.writestr(item, data)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("errors_carry_no_data")
    landing = root / "landing"
    shutil.copytree(SAMPLE_LANDING_DIR, landing)
    write_hostile_landing(landing)
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    env = os.environ | {
        "ROIJAI_DATA_DIR": str(root / "data"),
        "ROIJAI_LANDING_DIR": str(landing),
        "ROIJAI_SETTLE_SECONDS": "0",
        "DAGSTER_HOME": str(home),
    }
    env.pop("ROIJAI_DUCKDB_PATH", None)

    def run(module: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", module], cwd=REPO_ROOT, env=env, capture_output=True,
            text=True, timeout=900,
        )  # fmt: skip

    pipeline, status = run("orchestration.run"), run("orchestration.status")
    return pipeline, status, root / "data" / "warehouse.duckdb", home


def test_the_run_reads_the_good_lines_and_names_what_it_could_not(hostile_run):
    pipeline, status, warehouse, _ = hostile_run
    assert "broken_sheet.xlsx" in pipeline.stdout  # a failed file, listed by name
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        quarantined = connection.execute(
            "select file_name, row_number, reason from raw.ingest_quarantine "
            "where column_name is null order by 1"
        ).fetchall()
        failed = connection.execute(
            "select file_name, error from raw.ingest_ledger where status = 'failed' order by 1"
        ).fetchall()
    assert [(name, row) for name, row, _ in quarantined] == [
        ("extra_cells.csv", 4), ("stray_quote.csv", 5),
    ]  # fmt: skip
    assert [name for name, _ in failed] == ["broken_sheet.xlsx", "huge_cell.csv"]
    assert all(error.startswith(f"{name}: ") for name, error in failed)
    assert "Newest files in the ledger" in status.stdout


def test_no_value_of_a_bad_line_reaches_console_warehouse_run_storage_or_status(hostile_run):
    pipeline, status, warehouse, home = hostile_run
    outputs = {
        "make run stdout": pipeline.stdout,
        "make run stderr": pipeline.stderr,
        "make status": status.stdout + status.stderr,
    }
    for where, text in outputs.items():
        assert not [m for m in MARKERS if m in text], where
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for where, values in warehouse_text(connection):
            assert not [m for m in MARKERS for v in values if m in v], where
    stored = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.suffix == ".db" for path in stored)  # the run storage is there to search
    # as UTF-8, and as JSON writes Thai text by default (\u0e2a...)
    forms = [form for m in MARKERS for form in (m.encode(), json.dumps(m)[1:-1].encode())]
    for path in stored:
        content = path.read_bytes()
        assert not [form for form in forms if form in content], path.relative_to(home)
