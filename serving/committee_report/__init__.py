"""The provincial committee's progress report, from the publication only: Thai first with
English labels, as a self-contained HTML page, its A4 PDF and an Excel workbook
(``render.render_committee_report``; ``make report``). Pure Python, no Dagster: the asset
``committee_report`` (orchestration/assets/committee_report.py) calls it after each
publication."""
