"""The Dagster code location: assembles assets, checks, jobs, the schedule, sensors and
resources; builds nothing itself."""

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.asset_checks import build_quality_checks
from orchestration.assets.committee_report import CommitteeReportsResource, committee_report
from orchestration.assets.dbt import roijai_dbt_models
from orchestration.assets.ingest import ingest_assets, ingest_ledgers, reference_geography
from orchestration.assets.publish import (
    PostgresResource,
    PublicationResource,
    build_published_asset,
    published_postgres,
    published_source_keys,
)
from orchestration.automation import (
    build_run_sensors,
    daily_run,
    landing_files,
    pipeline_job,
    publish_job,
)
from orchestration.dbt_child import WRAPPER
from orchestration.dbt_project import roijai_dbt_project
from orchestration.resources import LandingResource, WarehouseResource
from sources.settings import (
    POSTGRES_URL_VARIABLE,
    Settings,
    keep_files_private,
    settings_shared_with_dbt,
)


def postgres_wiring(settings: Settings) -> tuple[list, dict]:
    """The PostgreSQL copy's asset and resource, when ROIJAI_POSTGRES_URL is set."""
    if settings.postgres is None:
        return [], {}
    resource = PostgresResource(
        url=dg.EnvVar(POSTGRES_URL_VARIABLE),
        schema_name=settings.postgres.schema,
        reader_role=settings.postgres.reader_role,
    )
    return [published_postgres], {"postgres": resource}


def build_definitions(settings: Settings) -> dg.Definitions:
    keep_files_private()  # the process that runs these definitions writes private data
    published = build_published_asset(published_source_keys(roijai_dbt_models.keys))
    postgres_assets, postgres_resources = postgres_wiring(settings)
    return dg.Definitions(
        assets=[
            *ingest_assets,
            ingest_ledgers,
            reference_geography,
            roijai_dbt_models,
            published,
            committee_report,
            *postgres_assets,
        ],
        asset_checks=build_quality_checks({key for assets in ingest_assets for key in assets.keys}),
        jobs=[pipeline_job, publish_job],
        schedules=[daily_run],
        sensors=[landing_files, *build_run_sensors(settings)],
        resources={
            "warehouse": WarehouseResource(duckdb_path=str(settings.duckdb_path)),
            "landing": LandingResource(
                landing_dir=str(settings.landing_dir), data_dir=str(settings.data_dir)
            ),
            "publication": PublicationResource(folder=str(settings.published_dir)),
            "committee_reports": CommitteeReportsResource(
                folder=str(settings.committee_reports_dir)
            ),
            # dbt through a wrapper that ties it to this process (orchestration/dbt_child.py)
            "dbt": DbtCliResource(project_dir=roijai_dbt_project, dbt_executable=str(WRAPPER)),
            **postgres_resources,
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions(settings_shared_with_dbt())
