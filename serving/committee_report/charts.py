"""The report's charts: matplotlib drawn to SVG, inline in the page. Text stays text in the
SVG (``svg.fonttype: none``) set in the report's Thai font, so Chromium shapes the Thai
(stacked vowels and tone marks) with the font embedded in the page, and the PDF keeps it
searchable."""

from __future__ import annotations

import io
from typing import NamedTuple

import matplotlib

matplotlib.use("svg")  # no display, no GUI toolkit
from matplotlib import font_manager
from matplotlib import pyplot as plt

from serving.committee_report.fonts import FONT_FAMILY, FONT_FILES, font_path
from serving.committee_report.tables import Table

ALLOCATED, DISBURSED, TARGET, REACHED = "#9db4c0", "#1f5f8b", "#d9d9d9", "#2a7f62"
BASELINE, LATEST = "#c9a66b", "#2a7f62"
STYLE = {
    "svg.fonttype": "none",  # text as <text>, in the page's font
    "svg.hashsalt": "roijai-committee-report",  # the same figures give the same SVG
    "font.family": FONT_FAMILY,
    "font.size": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
}


def _register_font() -> None:
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for weight in FONT_FILES:
        path = str(font_path(weight))
        if path not in known:
            font_manager.fontManager.addfont(path)


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # inline: no XML declaration or doctype


def _millions(value) -> float:
    return float(value or 0) / 1_000_000


class Bars(NamedTuple):
    values: list[float]
    color: str
    label: str


def _side_by_side(axes, first: Bars, second: Bars, horizontal: bool = False) -> list[int]:
    """Two series as bars side by side at each position, the first on the left (or on top,
    horizontal); returns the positions."""
    draw, shift = (axes.barh, 0.2) if horizontal else (axes.bar, -0.2)
    positions = list(range(len(first.values)))
    for bars, offset in ((first, shift), (second, -shift)):
        draw([p + offset for p in positions], bars.values, 0.4, color=bars.color, label=bars.label)
    return positions


def targets_chart(targets: Table) -> str:
    """Per phase, villages, subdistricts and districts reached beside their targets."""
    rows = [row for row in targets.rows if row["level"] != "province"]
    labels = [f"{row['phase_label']}\n{row['level_label'].split(' (')[0]}" for row in rows]
    with plt.rc_context(STYLE):
        _register_font()
        figure, axes = plt.subplots(figsize=(7.5, 2.8))
        positions = range(len(rows))
        axes.bar(
            positions,
            [row["target"] or 0 for row in rows],
            0.7,
            color=TARGET,
            label="เป้าหมาย (target)",
        )
        axes.bar(
            positions, [row["actual"] for row in rows], 0.4, color=REACHED, label="ผล (reached)"
        )
        axes.set_xticks(list(positions), labels)
        axes.set_title("ผลเทียบเป้าหมาย / reached against the targets")
        axes.legend(frameon=False)
        return _svg(figure)


def _budget_bars(rows) -> tuple[Bars, Bars]:
    """Allocated and disbursed, in millions of baht."""
    return (
        Bars([_millions(r["budget_allocated"]) for r in rows], ALLOCATED, "จัดสรร (allocated)"),
        Bars([_millions(r["budget_disbursed"]) for r in rows], DISBURSED, "เบิกจ่าย (disbursed)"),
    )


def budget_chart(by_year: Table) -> str:
    """Allocated and disbursed per fiscal year, in millions of baht."""
    years = [str(row["fiscal_year_be"]) for row in by_year.rows]
    with plt.rc_context(STYLE):
        _register_font()
        figure, axes = plt.subplots(figsize=(7.5, 2.8))
        positions = _side_by_side(axes, *_budget_bars(by_year.rows))
        axes.set_xticks(positions, [f"ปีงบ {year}" for year in years])
        axes.set_ylabel("ล้านบาท (million baht)")
        axes.set_title("งบประมาณรายปีงบประมาณ / budget by fiscal year")
        axes.legend(frameon=False)
        return _svg(figure)


def agency_chart(by_agency: Table) -> str:
    """Allocated and disbursed per agency, in millions of baht, the largest first."""
    rows = list(reversed(by_agency.rows))  # barh draws from the bottom
    with plt.rc_context(STYLE):
        _register_font()
        figure, axes = plt.subplots(figsize=(7.5, 0.5 + 0.45 * max(len(rows), 1)))
        positions = _side_by_side(axes, *_budget_bars(rows), horizontal=True)
        axes.set_yticks(positions, [row["agency_name"] for row in rows])
        axes.set_xlabel("ล้านบาท (million baht)")
        axes.set_title("งบประมาณรายหน่วยงาน / budget by agency")
        axes.legend(frameon=False, loc="lower right")
        return _svg(figure)


def income_chart(income: Table) -> str:
    """Median income per person at baseline and in the latest round, per phase and province."""
    rows = [row for row in income.rows if row["province_code"] is not None]
    labels = [
        f"{row['phase_label']}\n{row['province_name_th'] or row['province_code']}" for row in rows
    ]
    with plt.rc_context(STYLE):
        _register_font()
        figure, axes = plt.subplots(figsize=(7.5, 2.8))
        positions = _side_by_side(
            axes,
            Bars(
                [float(r["baseline_income"] or 0) for r in rows], BASELINE, "ข้อมูลพื้นฐาน (baseline)"
            ),
            Bars([float(r["latest_income"] or 0) for r in rows], LATEST, "รอบล่าสุด (latest)"),
        )
        axes.set_xticks(positions, labels, fontsize=9)
        axes.set_ylabel("บาท/คน/ปี (baht per person)")
        axes.set_title("รายได้เฉลี่ยต่อคน (มัธยฐานของหมู่บ้าน) / income per person, median village")
        axes.legend(frameon=False, fontsize=9)
        return _svg(figure)
