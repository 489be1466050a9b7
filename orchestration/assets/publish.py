"""The publication: marts and dimensions in data/published/, for analysts and BI tools.

Runs in its own job after a pipeline run, and publishes it only if the run's recorded decision
(serving/run_decision.py, kept in quality.pipeline_runs) says it is publishable.
"""

from pathlib import Path

import dagster as dg

from expectations.results import check_summary, run_records
from orchestration.names import PIPELINE_RUN_TAG
from orchestration.resources import WarehouseResource
from serving.publication import PUBLISHED_PREFIXES, PublishedPaths, publish
from serving.run_log import mark_published, recorded_decision


class PublicationResource(dg.ConfigurableResource):
    """The folder analysts and BI tools read (data/published by default)."""

    folder: str


def build_published_asset(deps: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        name="published",
        deps=deps,
        group_name="serving",
        kinds={"duckdb", "parquet"},
        description="The marts and dimensions as data/published/roijai.duckdb and Parquet "
        "snapshots, swapped in atomically; only after a run whose blocking checks passed.",
    )
    def published(
        context: dg.AssetExecutionContext,
        warehouse: WarehouseResource,
        publication: PublicationResource,
    ) -> dg.MaterializeResult:
        pipeline_run = context.run.tags.get(PIPELINE_RUN_TAG)
        if not pipeline_run:
            raise dg.Failure(
                "publish follows a pipeline run: start the roijai_pipeline job, not this asset"
            )
        with warehouse.connect() as connection:
            publishable, why = recorded_decision(connection, pipeline_run)
            records = run_records(connection, pipeline_run)
        if not publishable:
            raise dg.Failure(
                f"not publishing run {pipeline_run}: {why}; the last good publication stays"
            )
        manifest = publish(
            Path(warehouse.duckdb_path),
            PublishedPaths(Path(publication.folder)),
            pipeline_run,
            check_summary(records),
        )
        with warehouse.connect() as connection:
            mark_published(connection, pipeline_run)
        return dg.MaterializeResult(
            metadata={
                "pipeline_run_id": pipeline_run,
                "published_at": manifest["published_at"],
                "tables": dg.MetadataValue.json(manifest["tables"]),
                "folder": publication.folder,
            }
        )

    return published


def published_source_keys(asset_keys) -> list[dg.AssetKey]:
    """The marts and dimensions the publication copies: the tables of the main schema (a
    one-part key) named mart_* or dim_*."""
    return sorted(
        key
        for key in asset_keys
        if len(key.path) == 1 and key.path[0].startswith(PUBLISHED_PREFIXES)
    )
