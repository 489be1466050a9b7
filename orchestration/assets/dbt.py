"""The dbt models, seeds and tests as Dagster assets and asset checks."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_project import roijai_dbt_project


@dbt_assets(manifest=roijai_dbt_project.manifest_path, project=roijai_dbt_project)
def roijai_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()
