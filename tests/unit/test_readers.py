import datetime as dt
import zipfile

import duckdb
import pytest
import xlsxwriter

from sources import readers
from sources.readers import UnreadableFileError, cell_text, csv_rows, read_sheets
from sources.sample.generate import generate
from tests.helpers import FailedFormula, write_xlsx


def test_xlsx_cells_come_back_as_text_with_real_row_numbers(tmp_path):
    path = write_xlsx(
        tmp_path / "register.xlsx",
        {
            "ระยะที่ 1": [
                [],
                ["ทะเบียนหมู่บ้านเป้าหมาย", None, None],
                ["รหัสหมู่บ้าน", "วันที่ทำประชาคม", "งบประมาณ"],
                [50100302, dt.datetime(2020, 1, 5), 1250000.5],
            ]
        },
        merges={"ระยะที่ 1": [(1, 0, 1, 2)]},
    )
    (sheet,) = read_sheets(path)
    assert sheet.name == "ระยะที่ 1"
    header_index = next(i for i, row in enumerate(sheet.rows) if row[0] == "รหัสหมู่บ้าน")
    assert sheet.row_number(header_index) == 3  # as Excel numbers it, blank first row included
    assert sheet.rows[header_index + 1] == ["50100302", "2020-01-05", "1250000.5"]
    # a merged title fills its whole range, as a person sees it
    assert sheet.rows[1] == ["ทะเบียนหมู่บ้านเป้าหมาย"] * 3


def test_csv_in_windows_874_is_decoded(tmp_path):
    path = tmp_path / "plans.csv"
    path.write_bytes("รหัสหมู่บ้าน,กิจกรรม\r\n50100302,ฝายชะลอน้ำ\r\n".encode("cp874"))
    (sheet,) = read_sheets(path, work_dir=tmp_path)
    assert sheet.head() == [["รหัสหมู่บ้าน", "กิจกรรม"], ["50100302", "ฝายชะลอน้ำ"]]


def test_csv_with_utf8_bom_loses_the_bom(tmp_path):
    path = tmp_path / "plans.csv"
    path.write_bytes("รหัสหมู่บ้าน;กิจกรรม\n50100302;ฝาย\n".encode("utf-8-sig"))
    (sheet,) = read_sheets(path, work_dir=tmp_path)
    assert sheet.head()[0] == ["รหัสหมู่บ้าน", "กิจกรรม"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.xlsx", b"PK\x03\x04 this is not a workbook", "not a readable workbook"),
        ("empty.csv", b"", "holds no data"),
        ("report.pdf", b"%PDF-1.4", "unknown file type"),
    ],
)
def test_unreadable_files_name_the_file_and_the_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError, match=reason) as error:
        read_sheets(path)
    assert name in str(error.value)


def staged_rows(sheet, data_start, width):
    with duckdb.connect() as connection:
        sheet.stage(connection, "staged", data_start, width)
        return connection.execute("select * from staged order by _row_number").fetchall()


def test_csv_rows_keep_their_line_numbers_across_blank_lines_and_multi_line_cells(tmp_path):
    path = tmp_path / "plans.csv"
    path.write_text('title\n\nรหัส,กิจกรรม\n1,a\n\n2,"two\nlines"\n3,c\n', encoding="utf-8")
    (sheet,) = read_sheets(path, work_dir=tmp_path)
    assert staged_rows(sheet, 3, 2) == [
        ("1", "a", 4),
        (None, None, 5),
        ("2", "two\nlines", 6),
        (None, None, 7),
        ("3", "c", 8),
    ]


def test_regular_csv_is_staged_by_duckdb_with_line_numbers(tmp_path):
    path = tmp_path / "plans.csv"
    path.write_text("title\nรหัส;กิจกรรม\n1;a\n2;\n", encoding="utf-8")
    (sheet,) = read_sheets(path, work_dir=tmp_path)
    assert staged_rows(sheet, 2, 2) == [("1", "a", 3), ("2", None, 4)]


STRAY_QUOTE = "a quote opened on this line is not closed: the line cannot be split into cells"


def test_a_malformed_csv_line_is_set_apart_by_its_number_and_the_lines_after_it_read():
    """A stray quote would swallow every line below it into one cell, a comma inside an
    amount shifts the cells: each such line is set apart with its reason, and reading goes on
    with the next line (a quoted cell over two lines stays one cell)."""
    lines = [
        "no,project,village,budget\n",
        '1,"weir,57090605,1000\n',  # the quote never closes
        "2,road,57090605,2000\n",
        "3,well,57090403,1,500\n",  # one cell too many
        '4,"two\n',
        'lines",57090403,400\n',
        "5,school,57090403,500\n",
    ]
    rows, malformed = csv_rows(lines, ",", width=4)
    assert malformed == {
        2: STRAY_QUOTE,
        4: "5 cells in a sheet of 4 columns (a delimiter inside a value?)",
    }
    assert rows == [
        ["no", "project", "village", "budget"],
        [],
        ["2", "road", "57090605", "2000"],
        [],
        ["4", "two\nlines", "57090403", "400"],
        [],
        ["5", "school", "57090403", "500"],
    ]


def test_a_crlf_csv_with_a_stray_lf_line_and_a_malformed_line_is_read_whole(tmp_path):
    """DuckDB's reader refuses a file with mixed line ends or one bad line: Python's reader
    reads it, line numbers exact, and quarantines only the bad line."""
    path = tmp_path / "agency.csv"
    text = 'รหัส,กิจกรรม,งบ\r\n1,a,10\n2,"b,20\r\n3,c,30\r\n4,d,40,extra\r\n'
    path.write_bytes(text.encode("utf-8"))
    (sheet,) = read_sheets(path, work_dir=tmp_path)
    with duckdb.connect() as connection:
        malformed = sheet.stage(connection, "staged", 0, 3)
        rows = connection.execute("select * from staged order by _row_number").fetchall()
    assert malformed == {3: STRAY_QUOTE, 5: "4 cells in a sheet of 3 columns (a delimiter "
                                           "inside a value?)"}  # fmt: skip
    assert [row for row in rows if row[0] is not None] == [
        ("รหัส", "กิจกรรม", "งบ", 1),
        ("1", "a", "10", 2),
        ("3", "c", "30", 4),
    ]


def test_cell_text():
    assert cell_text(50100302.0) == "50100302"
    assert cell_text(12.5) == "12.5"
    assert cell_text(dt.datetime(2020, 1, 5)) == "2020-01-05"
    assert cell_text("  ") is None


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A landing folder made by the generator: the readers' fixture files."""
    folder = tmp_path_factory.mktemp("generated") / "landing"
    generate(folder, seed=11, households=20)
    return folder


def test_generated_register_fills_merged_district_cells(generated):
    (register,) = (generated / "register").glob("*.xlsx")
    sheets = {sheet.name: sheet for sheet in read_sheets(register)}
    assert set(sheets) == {"ระยะที่ 1", "ระยะที่ 2", "คำอธิบาย"}
    rows = sheets["ระยะที่ 1"].rows
    header = next(i for i, row in enumerate(rows) if row and row[0] == "ลำดับ")
    villages = [row for row in rows[header + 1 :] if row and row[0] and row[0].isdigit()]
    assert len(villages) == 47
    assert all(row[3] for row in villages)  # every village has its (merged) district


def test_generated_windows_874_plans_are_decoded(generated, tmp_path):
    (plans,) = (generated / "plans").glob("*ระยะที่1*.csv")
    with pytest.raises(UnicodeDecodeError):
        plans.read_bytes().decode("utf-8")
    (sheet,) = read_sheets(plans, work_dir=tmp_path)
    assert "รหัสหมู่บ้าน" in sheet.head()[2]


def test_generated_odk_members_file_is_one_sheet(generated, tmp_path):
    (members,) = (generated / "survey").glob("*2564*-members.csv")
    (sheet,) = read_sheets(members, work_dir=tmp_path)
    assert sheet.head()[0][-2:] == ["PARENT_KEY", "KEY"]


def test_a_sheet_shows_the_header_search_all_the_rows_it_looks_at():
    from sources.layout import HEAD_ROWS, SAMPLE_ROWS
    from sources.readers import HEAD_LINES

    assert HEAD_LINES >= HEAD_ROWS + SAMPLE_ROWS


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused_unread(tmp_path):
    """A zip bomb: a small workbook whose sheet XML unpacks to a thousand times its size."""
    small = write_xlsx(tmp_path / "small.xlsx", {"s": [["a", "b"], [1, 2]]})
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b" " * 30_000_000 + b"</worksheet>")
            out.writestr(member, data)
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(UnreadableFileError, match=r"unpacks to 30 MB, .* times its size"):
        read_sheets(bomb)
    assert read_sheets(small)[0].rows == [["a", "b"], ["1", "2"]]


def test_scan_text_finds_the_longest_line_across_blocks(tmp_path, monkeypatch):
    from sources import readers

    path = tmp_path / "plans.csv"
    path.write_bytes(b"ab\nlongest line\nc\nlast")
    blocks = readers._blocks
    monkeypatch.setattr(readers, "_blocks", lambda p: blocks(p, size=4))
    scan = readers.scan_text(path)
    assert (scan.lines, scan.longest_line) == (4, len(b"longest line"))


def test_error_cells_and_a_sheets_reach_are_read_from_its_xml_across_blocks(tmp_path, monkeypatch):
    """The sheet XML is scanned in blocks: a block boundary inside a cell changes nothing."""
    rows = [["a", "b", "c"]] + [[str(i), str(i), str(i)] for i in range(50)]
    rows[20][1] = FailedFormula("=1/0", "#DIV/0!")
    rows[40][2] = FailedFormula("=NA()", "#N/A")
    path = write_xlsx(tmp_path / "errors.xlsx", {"s": rows})
    whole = readers._scan_sheets(path)
    assert whole == {"s": readers.SheetScan(51, 3, [(20, 1, "#DIV/0!"), (40, 2, "#N/A")])}
    for block in (37, 64, 101):
        monkeypatch.setattr(readers, "XML_BLOCK_BYTES", block)
        assert readers._scan_sheets(path) == whole
    (sheet,) = read_sheets(path)
    assert (sheet.rows[20][1], sheet.rows[40][2]) == ("#DIV/0!", "#N/A")


def test_a_sheet_whose_last_cell_lies_far_away_is_refused_before_it_is_read(tmp_path):
    """A 5 KB workbook with one cell at XFD1048576 would make the reader build a grid of 17
    billion cells (and abort the process): its reach is read from the XML first."""
    workbook = xlsxwriter.Workbook(tmp_path / "corner.xlsx")
    sheet = workbook.add_worksheet("ข้อมูล")
    sheet.write_row(0, 0, ["ปีงบประมาณ", "หน่วยงาน"])
    sheet.write(1_048_575, 16_383, "x")
    workbook.close()
    with pytest.raises(UnreadableFileError) as refused:
        read_sheets(tmp_path / "corner.xlsx")
    assert refused.value.reason == (
        "sheet 'ข้อมูล' spans 1,048,576 rows by 16,384 columns from A1, more than "
        "ROIJAI_MAX_SHEET_CELLS=20000000 cells: refused unread"
    )


def test_a_large_csv_with_a_multi_line_cell_is_read_by_python_with_exact_line_numbers(tmp_path):
    """DuckDB's parallel reader refuses a quoted line break in a file of some size (with a
    plain duckdb.Error): Python's reader, streamed, stages it instead."""
    lines = ["รหัส,กิจกรรม,งบ\n"] + [f"{i},งาน {i},{i}\n" for i in range(20_000)]
    lines[11] = '10,"two\nlines",10\n'
    path = tmp_path / "plans.csv"
    path.write_text("".join(lines), encoding="utf-8")
    (sheet,) = read_sheets(path, work_dir=tmp_path)
    rows = staged_rows(sheet, 1, 3)
    assert len(rows) == 20_001  # every line below the header, the cell's second line blank
    assert rows[10:13] == [
        ("10", "two\nlines", "10", 12),
        (None, None, None, 13),
        ("11", "งาน 11", "11", 14),
    ]
    assert rows[-1] == ("19999", "งาน 19999", "19999", 20_002)
