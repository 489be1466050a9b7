"""The publication: marts and dimensions in data/published/, for analysts and BI tools.

Runs in its own job after a pipeline run, and publishes it only if the run's recorded decision
(serving/run_decision.py, kept in quality.pipeline_runs) says it is publishable.
"""

from pathlib import Path

import dagster as dg

from expectations.results import check_summary, run_records
from orchestration.names import PIPELINE_RUN_TAG, POSTGRES_PUBLISHED_ASSET, PUBLISHED_ASSET
from orchestration.resources import WarehouseResource
from serving.postgres_publication import PostgresPublicationError, publish_to_postgres
from serving.publication import PUBLISHED_PREFIXES, PublishedPaths, publish, read_manifest
from serving.run_log import mark_published, recorded_decision
from sources.settings import PostgresTarget


class PublicationResource(dg.ConfigurableResource):
    """The folder analysts and BI tools read (data/published by default)."""

    folder: str


def build_published_asset(deps: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        name=PUBLISHED_ASSET,
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


class PostgresResource(dg.ConfigurableResource):
    """The PostgreSQL database the publication is copied into (ROIJAI_POSTGRES_URL, read when
    a run starts: the password never shows in the UI), its schema and its read-only role."""

    url: str
    schema_name: str
    reader_role: str

    def target(self) -> PostgresTarget:
        return PostgresTarget(self.url, self.schema_name, self.reader_role)


@dg.asset(
    name=POSTGRES_PUBLISHED_ASSET,
    deps=[PUBLISHED_ASSET],
    group_name="serving",
    kinds={"postgres"},
    description="The publication copied into PostgreSQL for BI tools: the same tables in one "
    "schema, swapped in whole, readable by the read-only role only. Its failure fails the "
    "publish run, and leaves the DuckDB publication and PostgreSQL's previous one in place.",
)
def published_postgres(
    context: dg.AssetExecutionContext,
    publication: PublicationResource,
    postgres: PostgresResource,
) -> dg.MaterializeResult:
    paths = PublishedPaths(Path(publication.folder))
    try:
        copy = publish_to_postgres(paths, postgres.target())
    except PostgresPublicationError as error:
        manifest = read_manifest(paths) or {}
        raise dg.Failure(
            f"the PostgreSQL copy failed: {error}. The DuckDB publication (run "
            f"{manifest.get('pipeline_run_id')}) stands; PostgreSQL keeps its previous one"
        ) from None
    context.log.info(
        f"copied {len(copy.tables)} tables ({sum(copy.tables.values()):,} rows) of run "
        f"{copy.pipeline_run_id} to PostgreSQL {copy.server}, schema {copy.schema}, "
        f"in {copy.seconds} s"
    )
    for old in copy.old_schemas_left:
        context.log.warning(
            f"{old} (a previous publication) is still being read: dropped next time"
        )
    return dg.MaterializeResult(
        metadata={
            "pipeline_run_id": copy.pipeline_run_id,
            "server": copy.server,
            "schema": copy.schema,
            "tables": dg.MetadataValue.json(copy.tables),
            "seconds": copy.seconds,
        }
    )
