"""A generated corpus of hostile landing files, each with the outcome the pipeline owes it.

Every file is small and written afresh (deterministic bytes) by ``write_corpus``. An outcome is
either a failed file whose error names the reason, or a loaded file whose rows the quarantine
holds with their reasons (the rest of its rows loaded); files never landed (temporary and lock
names) are not read at all.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from tests.helpers import FailedFormula, write_xlsx

AGENCY = "สำนักงานเกษตรจังหวัดเชียงราย"
HEADER = ["ปีงบประมาณ", "หน่วยงาน", "ชื่อโครงการ", "รหัสหมู่บ้าน", "งบประมาณจัดสรร", "เบิกจ่าย"]
VILLAGES = ("57090605", "57090403")
STRAY_QUOTE = "a quote opened on this line is not closed"
ERROR_VALUE = "a spreadsheet error value"
CEILING = "beyond what this column can hold"


@dataclass(frozen=True)
class Expected:
    status: str  # loaded, failed, duplicate, or not_listed (never read)
    error: str | None = None  # what a failed file's error says
    quarantined: dict[str, int] = field(default_factory=dict)  # reason (part) -> rows


@dataclass(frozen=True)
class HostileFile:
    name: str
    kind: str
    write: Callable[[Path], None]
    expected: Expected


def project_rows(count: int = 4) -> list[list[str]]:
    return [
        ["2564", AGENCY, f"ฝายชะลอน้ำ {i}", VILLAGES[i % 2], str(1000 * i), "0"]
        for i in range(1, count + 1)
    ]


def csv_text(rows: list[list[str]], newline: str = "\n") -> str:
    return newline.join(",".join(row) for row in rows) + newline


def agency_csv(rows: list[list[str]], newline: str = "\n", encoding: str = "utf-8"):
    def write(path: Path) -> None:
        path.write_bytes(csv_text([HEADER, *rows], newline).encode(encoding))

    return write


def with_cell(column: int, *values: str) -> list[list[str]]:
    """Good rows, then one row per value with that value in ``column``."""
    rows = project_rows()
    for value in values:
        row = project_rows(1)[0]
        row[column] = value
        rows.append(row)
    return rows


def raw_bytes(content: bytes):
    def write(path: Path) -> None:
        path.write_bytes(content)

    return write


def agency_xlsx(rows: list[list[object]], extra_sheets: dict | None = None):
    def write(path: Path) -> None:
        write_xlsx(path, {**(extra_sheets or {}), "ปีงบ 64": [HEADER, *rows]})

    return write


def zip_bomb(path: Path) -> None:
    """A valid-looking workbook whose sheet XML unpacks to far more than the file's size."""
    good = io.BytesIO()
    write_xlsx(good, {"ปีงบ 64": [HEADER, *project_rows()]})
    padding = b"<!--" + b" " * 50_000_000 + b"-->"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item)
            bomb.writestr(item, data + padding if item.filename.endswith("sheet1.xml") else data)


def truncated_workbook(path: Path) -> None:
    whole = io.BytesIO()
    write_xlsx(whole, {"ปีงบ 64": [HEADER, *project_rows()]})
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])


def far_corner(path: Path) -> None:
    """5 KB, one cell at XFD1048576: read as a grid from A1, 17 billion cells."""
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("ปีงบ 64")
    for row, cells in enumerate([HEADER, *project_rows()]):
        sheet.write_row(row, 0, cells)
    sheet.write(1_048_575, 16_383, "x")
    workbook.close()


def wide_csv(columns: int):
    header = HEADER + [f"คอลัมน์ {i}" for i in range(columns - len(HEADER))]
    rows = [row + [""] * (columns - len(HEADER)) for row in project_rows()]
    return raw_bytes(csv_text([header, *rows]).encode())


def link_out(path: Path) -> None:
    path.symlink_to("/etc/hostname")


def stray_quote_rows() -> list[list[str]]:
    rows = project_rows()
    rows[1][2] = '"' + rows[1][2]  # line 3: a quote that never closes
    return rows


def error_value_rows() -> list[list[object]]:
    rows: list[list[object]] = [list(r) for r in project_rows()]
    rows.append(["2564", AGENCY, "ถนน", VILLAGES[0], 5000, FailedFormula("=E6/0", "#DIV/0!")])
    rows.append(["2564", AGENCY, "ประปา", VILLAGES[1], FailedFormula("=#REF!", "#REF!"), 0])
    rows.append(["2564", AGENCY, FailedFormula("=NA()", "#N/A"), VILLAGES[1], 100, 0])
    return rows


def control_character_rows() -> list[list[str]]:
    rows = project_rows()
    rows[0][2] = "ฝาย\x00ชะลอ\x1bน้ำ\x7f\x85"
    return rows


_random = random.Random(13)
GARBAGE = bytes(_random.randrange(256) for _ in range(20_000)) + b"\xff\xfe\xff"

CORPUS: list[HostileFile] = [
    HostileFile(
        "stray_quote.csv",
        "agency",
        agency_csv(stray_quote_rows()),
        Expected("loaded", quarantined={STRAY_QUOTE: 1}),
    ),
    HostileFile(
        "comma_in_amount.csv",
        "agency",
        agency_csv(with_cell(4, "1,500")),
        Expected("loaded", quarantined={"7 cells in a sheet of 6 columns": 1}),
    ),
    HostileFile(
        "mixed_line_ends.csv",
        "agency",
        raw_bytes(
            (
                csv_text([HEADER, *project_rows()[:2]], "\r\n") + csv_text(project_rows()[2:])
            ).encode()
        ),
        Expected("loaded"),
    ),
    HostileFile(
        "old_mac_line_ends.csv",
        "agency",
        agency_csv(project_rows(), newline="\r"),
        Expected("loaded"),
    ),
    HostileFile(
        "control_characters.csv",
        "agency",
        agency_csv(control_character_rows()),
        Expected("loaded"),
    ),
    HostileFile(
        "infinite_amounts.csv",
        "agency",
        agency_csv(with_cell(4, "inf", "-inf", "nan", "Infinity")),
        Expected("loaded", quarantined={"not a finite amount of money": 4}),
    ),
    HostileFile(
        "absurd_amounts.csv",
        "agency",
        agency_csv(with_cell(4, "1e15", "-5e12", "9" * 40)),
        Expected("loaded", quarantined={CEILING: 2, "10^16 baht or more": 1}),
    ),
    HostileFile(
        "absurd_disbursement.csv",
        "agency",
        agency_csv(with_cell(5, "1000000001", "1e300")),
        Expected("loaded", quarantined={CEILING: 1, "10^16 baht or more": 1}),
    ),
    HostileFile(
        "error_values_saved_as_text.csv",
        "agency",
        agency_csv(with_cell(4, "#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "Err:502")),
        Expected("loaded", quarantined={ERROR_VALUE: 6}),
    ),
    HostileFile(
        "formula_injection.csv",
        "agency",
        agency_csv(with_cell(2, '"=HYPERLINK(""http://x.example"",""คลิก"")"', "+cmd", "@SUM(A1)")),
        Expected("loaded"),  # text, loaded as written; neutralised in every spreadsheet export
    ),
    HostileFile(
        "delimiter_only_lines.csv",
        "agency",
        agency_csv([*project_rows()[:2], [""] * 6, [""] * 6, *project_rows()[2:]]),
        Expected("loaded"),
    ),
    HostileFile("empty.csv", "agency", raw_bytes(b""), Expected("failed", "holds no data")),
    HostileFile(
        "bom_only.csv", "agency", raw_bytes(b"\xef\xbb\xbf"), Expected("failed", "holds no data")
    ),
    HostileFile(
        "blank_lines_only.csv",
        "agency",
        raw_bytes(b"\n\n \n,,,\n"),
        Expected("failed", "holds no data"),
    ),
    HostileFile(
        "binary_garbage.csv",
        "agency",
        raw_bytes(GARBAGE),
        Expected("failed", "neither UTF-8 nor Windows-874"),
    ),
    HostileFile(
        "utf16.csv",
        "agency",
        agency_csv(project_rows(), encoding="utf-16"),
        Expected("failed", "neither UTF-8 nor Windows-874"),
    ),
    HostileFile(
        "unknown_header.csv",
        "agency",
        raw_bytes(b"alpha,beta,gamma\n1,2,3\n4,5,6\n"),
        Expected("failed", "no sheet has the header row of a agency file"),
    ),
    HostileFile(
        "unknown_suffix.pdf",
        "agency",
        raw_bytes(b"%PDF-1.4 not a table"),
        Expected("failed", "unknown file type '.pdf'"),
    ),
    HostileFile(
        "error_cells.xlsx",
        "agency",
        agency_xlsx(error_value_rows()),
        Expected("loaded", quarantined={ERROR_VALUE: 3}),
    ),
    HostileFile(
        "control_characters.xlsx",
        "agency",
        agency_xlsx(control_character_rows()),
        Expected("loaded"),
    ),
    HostileFile(
        "notes_sheet_first.xlsx",
        "agency",
        agency_xlsx(project_rows(), {"หมายเหตุ": [["ข้อมูล ณ วันที่ 1 ต.ค. 64"]]}),
        Expected("loaded"),
    ),
    HostileFile("zip_bomb.xlsx", "agency", zip_bomb, Expected("failed", "refused unread")),
    HostileFile(
        "truncated.xlsx",
        "agency",
        truncated_workbook,
        Expected("failed", "not a readable workbook"),
    ),
    HostileFile(
        "text_named_xlsx.xlsx",
        "agency",
        raw_bytes(csv_text([HEADER, *project_rows()]).encode()),
        Expected("failed", "not a readable workbook"),
    ),
    HostileFile(
        "ole_garbage.xls",
        "agency",
        raw_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + GARBAGE),
        Expected("failed", "not a readable workbook"),
    ),
    HostileFile(
        "garbage.ods", "agency", raw_bytes(GARBAGE), Expected("failed", "not a readable workbook")
    ),
    HostileFile(
        "link_out.csv",
        "agency",
        link_out,
        Expected("failed", "a link to outside the landing folder, refused"),
    ),
    HostileFile(
        "resent_good_projects.csv",
        "agency",
        agency_csv(project_rows(6)),  # the same bytes as good_projects.csv
        Expected("duplicate", "same content as"),
    ),
    HostileFile(
        "far_corner.xlsx", "agency", far_corner, Expected("failed", "ROIJAI_MAX_SHEET_CELLS=")
    ),
    HostileFile(
        "too_many_columns.csv", "agency", wide_csv(2_100), Expected("failed", "ROIJAI_MAX_COLUMNS=")
    ),
    HostileFile(
        "long_cell.csv",
        "agency",
        agency_csv(with_cell(2, "ฝาย " * 10_000)),
        Expected("failed", "row 6 column 3: a cell of 39,999 characters"),
    ),
    HostileFile(
        "notes_only.xlsx",
        "agency",
        lambda path: write_xlsx(path, {"บันทึก": [["วาระการประชุม"], ["1. งบประมาณ"]]}),
        Expected("failed", "no sheet has the header row of a agency file"),
    ),
    HostileFile(
        "still_copying.csv.part", "agency", agency_csv(project_rows()), Expected("not_listed")
    ),
    HostileFile("~$excel_lock.xlsx", "agency", raw_bytes(b"\x00" * 165), Expected("not_listed")),
    HostileFile(".hidden.csv", "agency", agency_csv(project_rows()), Expected("not_listed")),
]

GOOD_FILES: list[HostileFile] = [
    HostileFile("good_projects.csv", "agency", agency_csv(project_rows(6)), Expected("loaded")),
    HostileFile("good_projects.xlsx", "agency", agency_xlsx(project_rows(5)), Expected("loaded")),
]


def write_corpus(landing: Path, files: list[HostileFile]) -> None:
    for hostile in files:
        folder = landing / hostile.kind
        folder.mkdir(parents=True, exist_ok=True)
        hostile.write(folder / hostile.name)
