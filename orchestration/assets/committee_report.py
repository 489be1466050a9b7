"""The committee's progress report, rendered from the publication after each one: the asset
downstream of ``published`` in the publish job. The rendering is serving/committee_report."""

from pathlib import Path

import dagster as dg

from orchestration.assets.publish import PublicationResource
from orchestration.names import COMMITTEE_REPORT_ASSET, PUBLISHED_ASSET
from serving.committee_report.render import render_committee_report
from serving.publication import PublishedPaths


class CommitteeReportsResource(dg.ConfigurableResource):
    """The folder of the committee's reports, one sub-folder per date
    (data/reports/committee by default)."""

    folder: str


@dg.asset(
    key=COMMITTEE_REPORT_ASSET,
    deps=[PUBLISHED_ASSET],
    group_name="serving",
    kinds={"html", "pdf", "excel"},
    description="The provincial committee's progress report (Thai, with English labels) as "
    "HTML, A4 PDF and an Excel workbook, from the publication only; compared with the report "
    "before it.",
)
def committee_report(
    publication: PublicationResource, committee_reports: CommitteeReportsResource
) -> dg.MaterializeResult:
    files = render_committee_report(
        PublishedPaths(Path(publication.folder)), Path(committee_reports.folder)
    )
    return dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(files.folder)),
            "html": dg.MetadataValue.path(str(files.html)),
            "pdf": dg.MetadataValue.path(str(files.pdf)),
            "xlsx": dg.MetadataValue.path(str(files.xlsx)),
            "compared_with": files.previous or "none (the first report)",
        }
    )
