"""``python -m serving.committee_report`` (``make report``): the committee report of what is
published now, in ``$ROIJAI_DATA_DIR/reports/committee/<date>/``."""

import sys

from serving.committee_report.browser import ChromiumMissingError
from serving.committee_report.figures import ReportDataError
from serving.committee_report.fonts import FontMissingError
from serving.committee_report.render import render_committee_report
from serving.publication import PublishedPaths
from sources.settings import load_settings


def main() -> int:
    settings = load_settings()
    try:
        files = render_committee_report(
            PublishedPaths(settings.published_dir), settings.committee_reports_dir
        )
    except (ReportDataError, FontMissingError, ChromiumMissingError) as error:
        print(error, file=sys.stderr)
        return 2
    compared = f"compared with the report of {files.previous}" if files.previous else "the first"
    print(f"Committee report ({compared}): {files.folder}")
    for path in (files.html, files.pdf, files.xlsx):
        print(f"  {path.name}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
