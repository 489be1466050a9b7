"""Render the committee report from the publication into ``<reports>/<date>/``: report.html,
report.pdf (printed by headless Chromium from that HTML), report.xlsx and figures.json (the
key figures the next report compares itself with). The date is the publication's evaluation
date. Each file is written under a temporary name and renamed into place, figures.json last:
a folder with figures.json holds a whole report."""

from __future__ import annotations

import dataclasses
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from serving.committee_report import charts
from serving.committee_report.browser import print_pdf
from serving.committee_report.figures import read_report
from serving.committee_report.history import (
    FIGURES_FILE,
    changes_table,
    key_figures,
    previous_figures,
    write_figures,
)
from serving.committee_report.page import render_page
from serving.committee_report.tables import Report, Section
from serving.committee_report.workbook import write_workbook
from serving.publication import PublishedPaths

HTML, PDF, XLSX = "report.html", "report.pdf", "report.xlsx"


@dataclass(frozen=True)
class ReportFiles:
    folder: Path
    previous: str | None  # the date of the report compared with, ISO

    @property
    def html(self) -> Path:
        return self.folder / HTML

    @property
    def pdf(self) -> Path:
        return self.folder / PDF

    @property
    def xlsx(self) -> Path:
        return self.folder / XLSX

    @property
    def figures(self) -> Path:
        return self.folder / FIGURES_FILE


def _with_charts(report: Report) -> None:
    tables = {table.key: table for table in report.tables()}
    drawn = {
        "progress": (charts.targets_chart(tables["targets"]),),
        "budget": (
            charts.budget_chart(tables["budget_by_year"]),
            charts.agency_chart(tables["budget_by_agency"]),
        ),
        "income": (charts.income_chart(tables["income"]),),
    }
    report.sections = [
        dataclasses.replace(section, charts=drawn.get(section.key, ()))
        for section in report.sections
    ]


def _with_changes(report: Report, reports_root: Path) -> str | None:
    """Add the section of what changed since the newest earlier report; returns its date."""
    previous = previous_figures(reports_root, report.meta.as_of)
    changes = Section(
        "changes",
        "สิ่งที่เปลี่ยนแปลงจากรายงานครั้งก่อน",
        "What changed since the previous report",
        tables=(changes_table(report.figures, previous),),
    )
    notes = next(i for i, section in enumerate(report.sections) if section.key == "notes")
    report.sections.insert(notes, changes)
    return previous[0].isoformat() if previous else None


def render_committee_report(published: PublishedPaths, reports_root: Path) -> ReportFiles:
    """Read the publication, write the report's files, return where they are."""
    report = read_report(published)
    report.figures = key_figures(report)
    previous = _with_changes(report, reports_root)
    _with_charts(report)
    files = ReportFiles(reports_root / report.meta.as_of.isoformat(), previous)
    files.folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex

    def temporary(path: Path) -> Path:
        return path.with_name(f".{path.stem}.{token}{path.suffix}")  # Chromium reads the suffix

    written = []
    try:
        temporary(files.html).write_text(render_page(report), encoding="utf-8")
        print_pdf(temporary(files.html), temporary(files.pdf))
        write_workbook(report, temporary(files.xlsx))
        written = [files.html, files.pdf, files.xlsx]
        for path in written:
            os.replace(temporary(path), path)
        write_figures(files.folder, report)
    finally:
        for leftover in files.folder.glob(f".*.{token}.*"):
            leftover.unlink()
    return files
