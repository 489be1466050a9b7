"""The dbt models, seeds and tests as Dagster assets and asset checks.

Models are built first (seeds, unit tests, models), then every data test runs. A failing
data test is a failed asset check, not a failed step: each test runs every time, so one run
shows every problem, and publication is gated on the checks' severities (docs/quality.md).
A dbt error (a model that does not build, a test that cannot run) still fails the step.
"""

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration import dbt_child
from orchestration.dbt_project import DBT_EXECUTABLE, roijai_dbt_project
from orchestration.names import SEVERITY_METADATA
from sources.settings import dbt_full_refresh, evaluation_date

TEST_ERROR_STATUSES = {"error", "runtime error"}


class RoijaiDbtTranslator(DagsterDbtTranslator):
    """dbt tests as non-blocking checks that carry their dbt severity (error or warn).

    Dagster's blocking flag would fail the whole dbt step on one failing test and skip every
    check downstream of it; the run records severities and the gate reads them instead.
    """

    def get_asset_check_spec(
        self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str, project
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        severity = manifest["nodes"][unique_id]["config"]["severity"].lower()
        return dg.AssetCheckSpec(
            name=spec.name,
            asset=spec.asset_key,
            description=spec.description,
            additional_deps=spec.additional_deps,
            metadata={**spec.metadata, SEVERITY_METADATA: severity},
            blocking=False,
        )


@dbt_assets(
    manifest=roijai_dbt_project.manifest_path,
    project=roijai_dbt_project,
    dagster_dbt_translator=RoijaiDbtTranslator(),
)
def roijai_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    dbt_child.prepare(DBT_EXECUTABLE)  # dbt dies with this process
    # what is due is judged as of the run's evaluation date (the models' var as_of)
    as_of = ["--vars", json.dumps({"as_of": evaluation_date().isoformat()})]
    build = ["build", "--exclude-resource-type", "test", *as_of]
    if dbt_full_refresh():  # the incremental facts rebuilt from the raw tables
        build.append("--full-refresh")
    yield from dbt.cli(build, context=context).stream()
    tests = dbt.cli(
        ["test", "--exclude-resource-type", "unit_test", *as_of],
        context=context,
        raise_on_error=False,
    )
    yield from tests.stream()
    errors = [
        f"{result['unique_id']}: {result.get('message')}"
        for result in tests.get_artifact("run_results.json")["results"]
        if result["status"] in TEST_ERROR_STATUSES
    ]
    if errors:
        raise dg.Failure("dbt tests could not run:\n" + "\n".join(errors))
