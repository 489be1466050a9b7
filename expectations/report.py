"""The readable quality report of one run: a single HTML file with its styles inline, so it
opens from disk or a mail attachment without internet (GX data docs load CSS from CDNs)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from expectations.results import CheckRecord, describe_counts, status_counts

STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eee; }
.failed-error { background: #fdd; } .failed-warn { background: #ffd; }
.not-run { background: #eee; color: #666; } .passed { color: #264; }
pre { white-space: pre-wrap; margin: 0; font-family: inherit; }
"""


def _row(record: CheckRecord) -> str:
    css = record.status.replace(" (", "-").replace(")", "").replace(" ", "-")
    cells = [
        record.status,
        record.asset_key,
        record.check_name,
        record.source,
        record.severity,
    ]
    details = f"<pre>{escape(record.details)}</pre>" if record.details else ""
    return (
        f'<tr class="{css}">'
        + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells)
        + f"<td>{details}</td></tr>"
    )


def render_report(
    run_id: str, started_at: datetime, records: list[CheckRecord], verdict: str
) -> str:
    """The run's verdict (its decision's message), counts by outcome, then every check,
    failures first (records come in that order)."""
    counts = status_counts(records)
    totals = describe_counts(counts)
    header = "<tr><th>Result</th><th>Asset</th><th>Check</th><th>By</th><th>Severity</th>"
    header += "<th>Details (first examples)</th></tr>"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            "<title>Roi Jai Rak data quality report</title>",
            f"<style>{STYLE}</style></head><body>",
            "<h1>Roi Jai Rak: data quality report</h1>",
            f"<p>Run {escape(run_id)}, started {started_at:%Y-%m-%d %H:%M} UTC.</p>",
            f"<p><strong>{escape(verdict)}.</strong> {escape(totals)}.</p>",
            f"<table>{header}",
            *(_row(record) for record in records),
            "</table></body></html>",
        ]
    )
