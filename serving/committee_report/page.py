"""The report as one self-contained HTML page: the Thai font inline (base64 @font-face), the
styles inline, the charts inline SVG; no script, no link, nothing fetched. Its print styles
paginate it for A4, which is how Chromium prints the PDF. Every text from the data is
escaped: a project or agency named ``=HYPERLINK(...)`` or ``<script>`` is shown as text."""

from __future__ import annotations

from datetime import datetime
from html import escape

from serving.committee_report.fonts import FONT_FAMILY, font_face_css
from serving.committee_report.status import LIGHT_LABELS
from serving.committee_report.tables import NUMERIC_KINDS, Report, Section, Table
from serving.committee_report.thai import thai_date, thai_datetime, thai_number, thai_percent

TITLE_TH = "รายงานความก้าวหน้าการขยายผลโครงการร้อยใจรักษ์"
TITLE_EN = "Roi Jai Rak expansion: progress report to the provincial committee"
SUBTITLE_TH = (
    "ภายใต้แผนปฏิบัติการแก้ไขปัญหายาเสพติดพื้นที่ชายแดนภาคเหนือ พ.ศ. 2562-2565 (เชียงใหม่ เชียงราย แม่ฮ่องสอน พะเยา)"
)

STYLE = """
:root { --ink: #1d2733; --muted: #5b6673; --rule: #c9d1da; --head: #eef2f6; }
html { font-family: '%(family)s', sans-serif; font-size: 17px; color: var(--ink); }
body { margin: 0 auto; max-width: 1100px; padding: 0 24px 48px; line-height: 1.35; }
h1 { font-size: 2.1rem; margin: 0.2em 0 0.1em; line-height: 1.2; }
h2 { font-size: 1.6rem; margin: 1.4em 0 0.3em; border-bottom: 2px solid var(--ink);
     break-after: avoid; }
h2 .en, h1 .en { font-weight: normal; color: var(--muted); font-size: 0.75em; display: block; }
.en { color: var(--muted); }
.cover { padding-top: 24px; }
.meta { margin: 0.2em 0; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; font-weight: bold; }
.verdict.complete { background: #dff0e6; } .verdict.incomplete { background: #fbe3d6; }
.headline { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 1em 0; }
.headline div { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 10px; }
.headline strong { display: block; font-size: 1.6rem; }
nav ol { columns: 2; margin: 0.5em 0; }
table { border-collapse: collapse; width: 100%%; margin: 0.6em 0 0.2em; font-size: 0.95rem; }
caption { text-align: left; font-weight: bold; font-size: 1.1rem; padding: 0.3em 0; }
caption .en { font-weight: normal; }
th, td { border: 1px solid var(--rule); padding: 2px 6px; vertical-align: top; }
th { background: var(--head); font-weight: bold; text-align: left; line-height: 1.15; }
th .en { display: block; font-weight: normal; font-size: 0.85em; }
th.num { text-align: right; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: bold; background: var(--head); }
tr { break-inside: avoid; }
.note { color: var(--muted); font-size: 0.9rem; margin: 0 0 1em; }
.light { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%%;
         margin-right: 0.3em; vertical-align: -0.05em; }
.light.red { background: #c0392b; } .light.amber { background: #e6a817; }
.light.green { background: #2a7f62; }
figure { margin: 0.8em 0; break-inside: avoid; }
figure svg { max-width: 100%%; height: auto; }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 2em; }
@page { size: A4; margin: 14mm 12mm 16mm;
  @bottom-left { content: "%(footer)s"; font-family: '%(family)s'; font-size: 9pt;
                 color: #5b6673; }
  @bottom-right { content: "หน้า " counter(page) " / " counter(pages);
                  font-family: '%(family)s'; font-size: 9pt; color: #5b6673; } }
@media print {
  html { font-size: 10.5pt; }  /* Laksaman sets small: this reads as 9pt of most fonts */
  body { max-width: none; padding: 0; }
  section + section { break-before: page; }  /* the cover shares its page with progress */
  .headline { grid-template-columns: repeat(4, 1fr); }
}
"""


def _text(th: str, en: str) -> str:
    return f'{escape(th)} <span class="en" lang="en">{escape(en)}</span>'


def _cells(table: Table, row: dict, tag: str = "td") -> str:
    cells = []
    for column in table.columns:
        kind = column.kind_for(row)
        css = ' class="num"' if kind in NUMERIC_KINDS else ""
        shown = escape(column.shown(row))
        if column.key == "light_label":
            shown = f'<span class="light {escape(row["light"])}"></span>{shown}'
        cells.append(f'<{tag} data-col="{escape(column.key)}"{css}>{shown}</{tag}>')
    return "".join(cells)


def render_table(table: Table) -> str:
    head = "".join(
        f'<th data-col="{escape(c.key)}"{" class=num" if c.kind in NUMERIC_KINDS else ""}>'
        f'{escape(c.th)}<span class="en" lang="en">{escape(c.en)}</span></th>'
        for c in table.columns
    )
    body = "".join(
        f'<tr data-row="{escape(table.row_id(row))}">{_cells(table, row)}</tr>'
        for row in table.rows
    )
    if not table.rows:
        body = f'<tr><td colspan="{len(table.columns)}">ไม่มี <span class="en">none</span></td></tr>'
    foot = (
        f'<tfoot><tr data-row="total">{_cells(table, table.total)}</tr></tfoot>'
        if table.total
        else ""
    )
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return (
        f'<table id="table-{escape(table.key)}" data-table="{escape(table.key)}">'
        f"<caption>{_text(table.th, table.en)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>{foot}</table>{note}"
    )


def render_section(section: Section) -> str:
    parts = [
        f'<section id="{escape(section.key)}" data-section="{escape(section.key)}">',
        f"<h2>{_text(section.th, section.en)}</h2>",
        *(f"<p>{escape(paragraph)}</p>" for paragraph in section.paragraphs),
        *(f"<figure>{chart}</figure>" for chart in section.charts),
        *(render_table(table) for table in section.tables),
        "</section>",
    ]
    return "\n".join(parts)


def _headline(report: Report) -> str:
    """The cover's four figures, from the report's own tables."""
    tables = {table.key: table for table in report.tables()}
    boxes = []
    for row in tables["targets"].rows:
        if row["level"] == "village":
            boxes.append(
                (
                    f"{row['phase_label']}: หมู่บ้าน",
                    f"phase {row['phase']} villages",
                    f"{thai_number(row['actual'])} / {thai_number(row['target'])}",
                )
            )
    total = tables["budget_by_year"].total
    boxes.append(("อัตราการเบิกจ่าย", "disbursement rate", thai_percent(total["disbursement_rate"])))
    status = next(row for row in tables["village_status"].rows if row["phase"] is None)
    red_th, red_en = LIGHT_LABELS["red"]
    boxes.append((f"หมู่บ้านสถานะ{red_th}", f"villages {red_en}", thai_number(status["red"])))
    return (
        '<div class="headline" data-headline>'
        + "".join(
            f"<div>{_text(th, en)}<strong>{escape(value)}</strong></div>" for th, en, value in boxes
        )
        + "</div>"
    )


def render_page(report: Report) -> str:
    meta = report.meta
    as_of = thai_date(meta.as_of)
    published = thai_datetime(datetime.fromisoformat(meta.published_at))
    verdict = (
        '<span class="verdict complete">ข้อมูลครบตามกำหนด <span class="en">complete</span></span>'
        if meta.complete
        else '<span class="verdict incomplete">ข้อมูลยังไม่ครบ: ดูความครบถ้วนของข้อมูล '
        '<span class="en">incomplete: see reporting completeness</span></span>'
    )
    footer = f"{TITLE_TH} ข้อมูล ณ วันที่ {as_of}".replace('"', "'")
    style = STYLE % {"family": FONT_FAMILY, "footer": footer}
    contents = "".join(
        f'<li><a href="#{escape(s.key)}">{_text(s.th, s.en)}</a></li>' for s in report.sections
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="th"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(TITLE_TH)} ข้อมูล ณ วันที่ {escape(as_of)}</title>",
            f"<style>{font_face_css()}\n{style}</style></head><body>",
            '<header class="cover" id="cover" data-section="cover">',
            f'<h1>{escape(TITLE_TH)}<span class="en" lang="en">{escape(TITLE_EN)}</span></h1>',
            f"<p>{escape(SUBTITLE_TH)}</p>",
            f'<p class="meta">ข้อมูล ณ วันที่ <strong data-as-of="{meta.as_of.isoformat()}">'
            f'{escape(as_of)}</strong> <span class="en">data as of</span> · เผยแพร่ '
            f'{escape(published)} <span class="en">published</span></p>',
            f'<p class="meta">{verdict}</p>',
            _headline(report),
            '<nav><strong>สารบัญ <span class="en">contents</span></strong>'
            f"<ol>{contents}</ol></nav>",
            "</header>",
            *(render_section(section) for section in report.sections),
            f"<footer>{escape(TITLE_TH)} · pipeline run {escape(meta.pipeline_run_id)} · "
            "ข้อมูลจาก data/published (marts) เท่านั้น / from the publication only</footer>",
            "</body></html>",
        ]
    )
