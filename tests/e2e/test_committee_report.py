"""The committee report of the sample publication, made by the publish job's
``committee_report`` asset, read as a person reads it: the page in headless Chromium (one
screenshot per section, its figures read from the rendered DOM and compared with the marts
read here with SQL), the PDF with poppler (pdfinfo, pdftotext, pdffonts), the workbook with
python-calamine. test_committee_report_altered.py renders altered copies of the publication."""

import re
import subprocess
import zipfile
from pathlib import Path

import duckdb
import pytest
from fontTools.ttLib import TTFont
from python_calamine import CalamineWorkbook

from serving.committee_report.browser import chromium_page, open_page
from serving.committee_report.figures import suppression_k
from serving.committee_report.fonts import FONT_FAMILY, font_path
from serving.committee_report.thai import thai_number
from serving.publication import READER, PublishedPaths
from sources.settings import Settings
from tests.helpers import report_cell as cell

SECTIONS = {  # the page's sections and the Thai heading each opens with
    "cover": "รายงานความก้าวหน้าการขยายผลโครงการร้อยใจรักษ์",
    "progress": "ความก้าวหน้าเทียบเป้าหมาย",
    "behind": "หมู่บ้านที่ล่าช้ากว่าแผน",
    "budget": "งบประมาณ: จัดสรรและเบิกจ่าย",
    "income": "รายได้และความยากจน",
    "completeness": "ความครบถ้วนของข้อมูล",
    "changes": "สิ่งที่เปลี่ยนแปลงจากรายงานครั้งก่อน",
    "notes": "หมายเหตุคุณภาพข้อมูลและการปกปิดข้อมูล",
}


def number(text: str) -> float:
    """A figure as the page writes it (``76,050,000.00``, ``92.7%``, ``+1.5``) as a number."""
    return float(re.sub(r"[,%+\s]", "", text))


def query(publication: PublishedPaths, sql: str) -> list[tuple]:
    with duckdb.connect(str(publication.database), read_only=True, config=READER) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def report(sample_run, pipeline_env: Settings) -> Path:
    """The folder the publish job's committee_report asset wrote."""
    assert sample_run.report_folder, sample_run.report_error
    folder = Path(sample_run.report_folder)
    assert folder.parent == pipeline_env.committee_reports_dir
    return folder


@pytest.fixture(scope="module")
def page(report):
    """report.html open in headless Chromium; every request it made is recorded."""
    with chromium_page() as page:
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        open_page(page, report / "report.html")
        page.requests = requests
        yield page


def test_the_page_opens_with_no_network_and_its_font_loaded(page, report):
    assert page.requests == [(report / "report.html").resolve().as_uri()]  # nothing else
    html = (report / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|iframe|img)\b", html)
    fonts = page.evaluate("[...document.fonts].map(f => [f.family, f.weight, f.status])")
    assert sorted((family.strip("'\""), weight, status) for family, weight, status in fonts) == [
        (FONT_FAMILY, "bold", "loaded"),
        (FONT_FAMILY, "normal", "loaded"),
    ]


def test_a_screenshot_of_each_section(page, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report_screenshots")
    for section, heading in SECTIONS.items():
        element = page.locator(f'[data-section="{section}"]')
        assert heading in element.inner_text()
        shot = folder / f"{section}.png"
        element.screenshot(path=shot)
        assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
    print(f"screenshots in {folder}")


def test_the_progress_on_the_page_equals_the_marts(page, sample_publication):
    levels = ("village", "subdistrict", "district", "province")
    for phase, *figures in query(
        sample_publication,
        "select phase, target_villages, actual_villages, target_subdistricts, "
        "actual_subdistricts, target_districts, actual_districts, target_provinces, "
        "actual_provinces from mart_phase",
    ):
        for level, target, actual in zip(levels, figures[::2], figures[1::2], strict=True):
            assert number(cell(page, "targets", f"{phase}-{level}", "target")) == target
            assert number(cell(page, "targets", f"{phase}-{level}", "actual")) == actual
    rows = query(
        sample_publication,
        "select phase, province_code, villages, subdistricts, districts, share_villages_surveyed, "
        "share_villages_with_plan, share_villages_with_funded_project from mart_phase_province "
        "union all select phase, '', actual_villages, actual_subdistricts, actual_districts, "
        "share_villages_surveyed, share_villages_with_plan, share_villages_with_funded_project "
        "from mart_phase",
    )
    assert len(rows) == page.locator('table[data-table="progress"] tbody tr').count()
    for phase, province, villages, subdistricts, districts, *shares in rows:
        row = f"{phase}-{province}"
        assert number(cell(page, "progress", row, "villages")) == villages
        assert number(cell(page, "progress", row, "subdistricts")) == subdistricts
        assert number(cell(page, "progress", row, "districts")) == districts
        shown = [
            number(cell(page, "progress", row, column))
            for column in (
                "share_villages_surveyed",
                "share_villages_with_plan",
                "share_villages_with_funded_project",
            )
        ]
        assert shown == [round(share * 100, 1) for share in shares]


def test_the_budget_on_the_page_equals_the_marts(page, sample_publication):
    ((allocated, disbursed),) = query(
        sample_publication, "select sum(budget_allocated), sum(budget_disbursed) from mart_budget"
    )
    ((phases_allocated,),) = query(
        sample_publication, "select sum(budget_allocated) from mart_phase"
    )
    ((outside_register,),) = query(
        sample_publication,
        "select coalesce(sum(budget_allocated), 0) from mart_budget where phase is null",
    )
    assert allocated == phases_allocated + outside_register  # the marts agree with each other
    for table in ("budget_by_year", "budget_by_agency", "budget_by_category"):
        assert number(cell(page, table, "total", "budget_allocated")) == float(allocated)
        assert number(cell(page, table, "total", "budget_disbursed")) == float(disbursed)
        assert number(cell(page, table, "total", "disbursement_rate")) == round(
            float(disbursed / allocated) * 100, 1
        )
    by_year = query(
        sample_publication,
        "select fiscal_year_be, sum(budget_allocated), sum(budget_disbursed) "
        "from mart_budget group by all",
    )
    assert len(by_year) == page.locator('table[data-table="budget_by_year"] tbody tr').count()
    for year, year_allocated, year_disbursed in by_year:
        assert number(cell(page, "budget_by_year", year, "budget_allocated")) == year_allocated
        assert number(cell(page, "budget_by_year", year, "budget_disbursed")) == year_disbursed
    for agency, agency_allocated in query(
        sample_publication,
        "select agency_name, sum(budget_allocated) from mart_budget group by all",
    ):
        assert (
            number(cell(page, "budget_by_agency", agency, "budget_allocated")) == agency_allocated
        )
    headline = page.inner_text("[data-headline]")
    assert f"{round(float(disbursed / allocated) * 100, 1)}%" in headline


def test_the_villages_behind_are_those_the_rules_name(page, sample_publication):
    red = {
        code
        for (code,) in query(
            sample_publication,
            "select village_code from mart_village where reporting_status = 'missing' "
            "or not is_surveyed or not has_funded_project",
        )
    }
    amber = {
        code
        for (code,) in query(
            sample_publication,
            "select village_code from mart_village where reporting_status = 'late' "
            "or not has_plan or disbursement_rate < 0.8",
        )
    } - red
    listed = page.locator('table[data-table="villages_behind"] tbody tr')
    shown = {
        listed.nth(i).get_attribute("data-row"): listed.nth(i).inner_text()
        for i in range(listed.count())
    }
    assert red and amber  # the sample has both
    assert set(shown) == red | amber
    assert all("แดง" in shown[code] for code in red)
    assert all("เหลือง" in shown[code] for code in amber)
    assert number(cell(page, "village_status", "", "red")) == len(red)
    assert number(cell(page, "village_status", "", "amber")) == len(amber)


def test_completeness_and_income_on_the_page_equal_the_marts(page, sample_publication):
    for kind, expected, received, missing, rate in query(
        sample_publication,
        "select source_kind, reports_expected, reports_received, reports_missing, "
        "reporting_rate from mart_reporting_completeness where rollup_level = 'programme'",
    ):
        assert number(cell(page, "completeness", f"{kind}-", "reports_expected")) == expected
        assert number(cell(page, "completeness", f"{kind}-", "reports_received")) == received
        assert number(cell(page, "completeness", f"{kind}-", "reports_missing")) == missing
        assert number(cell(page, "completeness", f"{kind}-", "reporting_rate")) == round(
            rate * 100, 1
        )
    ((latest, change, below),) = query(
        sample_publication,
        "select median(latest_income_per_person), median(income_per_person_change), "
        "median(latest_share_below_bmn_line) from mart_village where latest_survey_round > 1",
    )
    assert number(cell(page, "income", "-", "latest_income")) == round(float(latest), 2)
    assert number(cell(page, "income", "-", "income_change")) == round(float(change), 2)
    assert number(cell(page, "income", "-", "latest_below_bmn")) == round(below * 100, 1)


def test_no_drug_count_the_publication_hides_is_shown_or_revealed(page, sample_publication):
    hidden, answered = query(
        sample_publication,
        "select count(*) filter (where is_drug_use_suppressed), sum(households_answered) "
        "from mart_village_drug_situation",
    )[0]
    assert hidden > 0  # the sample's follow-up rounds are small: suppression is exercised
    assert number(cell(page, "drug_situation", "", "households_answered")) == answered
    assert number(cell(page, "drug_situation", "", "drug_use_hidden")) == hidden
    ((shown_sum,),) = query(
        sample_publication,
        "select sum(households_with_drug_use) filter (where not is_drug_use_suppressed) "
        "from mart_village_drug_situation",
    )
    total = cell(page, "drug_situation", "", "drug_use")
    assert total == ("ปกปิด" if shown_sum is None else thai_number(shown_sum))
    k = suppression_k()
    for item in ("drug_use", "drug_treatment", "drug_arrest"):
        counts = page.locator(f'table[data-table="drug_situation"] td[data-col="{item}"]')
        texts = counts.all_inner_texts()
        assert texts  # one per province and the total
        for text in texts:
            assert text == "ปกปิด" or number(text) >= k


def test_thai_glyphs_render_in_the_thai_font(page):
    """A Thai string set in the page's font is as wide as the font's own advance widths say:
    a glyph drawn by another font, or as a missing-glyph box, would change the width."""
    text = "ร้อยใจรักษ์ ระยะที่ ๒ หมู่บ้านเป้าหมาย"
    size = 200
    width = page.evaluate(
        """([text, family, size]) => {
            const span = document.createElement('span');
            span.style.font = `${size}px '${family}'`;
            span.style.whiteSpace = 'pre';
            span.textContent = text;
            document.body.appendChild(span);
            const width = span.getBoundingClientRect().width;
            span.remove();
            return width;
        }""",
        [text, FONT_FAMILY, size],
    )
    font = TTFont(font_path())
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    assert all(ord(character) in cmap for character in text)
    expected = sum(advances[cmap[ord(c)]][0] for c in text) * size / font["head"].unitsPerEm
    assert width == pytest.approx(expected, rel=0.01)


def test_the_pdf_is_a4_with_every_section_in_the_thai_font(report, sample_publication):
    pdf = report / "report.pdf"
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= len(SECTIONS) - 1  # the cover shares its page with the progress
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)|\(A4\)", info)
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(re.fullmatch(rf"[A-Z]{{6}}\+{FONT_FAMILY}(-Bold)?", r[0]) for r in rows)
    assert all(row[-5] == "yes" for row in rows)  # embedded
    # pdftotext puts a space after a tone mark that the font shifts left (เป้ าหมาย): the
    # characters and their order are what count
    text = re.sub(
        r"\s+",
        "",
        subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout,
    )
    for heading in SECTIONS.values():
        assert re.sub(r"\s+", "", heading) in text
    ((allocated, disbursed),) = query(
        sample_publication, "select sum(budget_allocated), sum(budget_disbursed) from mart_budget"
    )
    assert thai_number(allocated, 2) in text and thai_number(disbursed, 2) in text
    for target, actual in query(
        sample_publication, "select target_villages, actual_villages from mart_phase"
    ):
        assert f"{actual}/{target}" in text


def test_the_workbook_equals_the_marts(report, sample_publication):
    workbook = CalamineWorkbook.from_path(str(report / "report.xlsx"))
    assert "เป้าหมาย" in workbook.sheet_names and "งบรายปี" in workbook.sheet_names
    targets = workbook.get_sheet_by_name("เป้าหมาย").to_python()
    assert targets[1][:3] == ["ระยะ", "ระดับ", "เป้าหมาย"]  # Thai headers, English below
    assert targets[2][:3] == ["phase", "level", "target"]
    got = {(row[0], row[1]): (row[2], row[3]) for row in targets[3:] if row[1]}
    for phase, target, actual in query(
        sample_publication, "select phase, target_villages, actual_villages from mart_phase"
    ):
        assert got[(f"ระยะที่ {phase}", "หมู่บ้าน (villages)")] == (target, actual)
    by_year = workbook.get_sheet_by_name("งบรายปี").to_python()
    rows = {row[0]: row[1:4] for row in by_year[3:] if row[0] != ""}
    for year, allocated, disbursed in query(
        sample_publication,
        "select cast(fiscal_year_be as varchar), sum(budget_allocated), sum(budget_disbursed) "
        "from mart_budget group by all union all select 'รวม / total', sum(budget_allocated), "
        "sum(budget_disbursed) from mart_budget",
    ):
        key = float(year) if year.isdigit() else year
        assert rows[key][:2] == [float(allocated), float(disbursed)]
    with zipfile.ZipFile(report / "report.xlsx") as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        xml = {name: archive.read(name).decode() for name in sheets}
        styles = archive.read("xl/styles.xml").decode()
    assert all(
        'ySplit="3"' in text for name, text in xml.items() if not name.endswith("sheet1.xml")
    )
    assert "#,##0.00" in styles and "0.0%" in styles
    assert all("<f>" not in text for text in xml.values())  # no formula anywhere
