"""The dbt models, seeds and tests as Dagster assets and asset checks.

Models are built first (seeds, unit tests, models), then every data test runs. A failing
data test is a failed asset check, not a failed step: each test runs every time, so one run
shows every problem, and publication is gated on the checks' results. A dbt error (a model
that does not build, a test that cannot run) still fails the step.
"""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_project import roijai_dbt_project

TEST_ERROR_STATUSES = {"error", "runtime error"}


@dbt_assets(manifest=roijai_dbt_project.manifest_path, project=roijai_dbt_project)
def roijai_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build", "--exclude-resource-type", "test"], context=context).stream()
    tests = dbt.cli(
        ["test", "--exclude-resource-type", "unit_test"], context=context, raise_on_error=False
    )
    yield from tests.stream()
    errors = [
        f"{result['unique_id']}: {result.get('message')}"
        for result in tests.get_artifact("run_results.json")["results"]
        if result["status"] in TEST_ERROR_STATUSES
    ]
    if errors:
        raise dg.Failure("dbt tests could not run:\n" + "\n".join(errors))
