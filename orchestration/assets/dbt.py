"""The dbt models, seeds and tests as Dagster assets and asset checks.

One ``dbt build`` runs seeds, unit tests, models and data tests in the graph's order. A failing
data test is a failed asset check, not a failed step: dbt runs every data test as a warning
(dbt_project.yml), so none makes dbt skip a model or a test downstream of it and one run shows
every problem; the severity that gates publication is the test's ``meta.severity``
(docs/quality.md). A dbt error (a model that does not build, a failing unit test, a test that
cannot run) fails the step.
"""

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration import dbt_child
from orchestration.dbt_project import DBT_EXECUTABLE, roijai_dbt_project
from orchestration.names import SEVERITY_METADATA
from sources.settings import dbt_full_refresh, evaluation_date

DBT_ERROR_STATUSES = {"error", "runtime error", "fail"}  # dbt's own: data tests only warn
# dagster-dbt gives every dbt invocation its own target folder (about 13 MB: the manifest, the
# compiled SQL, run_results.json); the newest are kept to look into, the rest removed.
INVOCATION_FOLDERS_KEPT = 10
DAGSTER_SEVERITY = {"error": dg.AssetCheckSeverity.ERROR, "warn": dg.AssetCheckSeverity.WARN}


def gate_severity(test_node: Mapping[str, Any]) -> str:
    """The severity (error or warn) a dbt data test has for publication: its meta.severity."""
    return test_node["config"]["meta"].get("severity", "error").lower()


class RoijaiDbtTranslator(DagsterDbtTranslator):
    """dbt tests as non-blocking checks that carry their gate severity (error or warn).

    Dagster's blocking flag would fail the whole dbt step on one failing test and skip every
    check downstream of it; the run records severities and the gate reads them instead.
    """

    def get_asset_check_spec(
        self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str, project
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        return dg.AssetCheckSpec(
            name=spec.name,
            asset=spec.asset_key,
            description=spec.description,
            additional_deps=spec.additional_deps,
            metadata={
                **spec.metadata,
                SEVERITY_METADATA: gate_severity(manifest["nodes"][unique_id]),
            },
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
    severities = {
        (spec.asset_key, spec.name): DAGSTER_SEVERITY[spec.metadata[SEVERITY_METADATA]]
        for spec in context.assets_def.check_specs
    }
    full_refresh = ["--full-refresh"] if dbt_full_refresh() else []  # facts rebuilt from raw
    build = dbt.cli(["build", *as_of, *full_refresh], context=context, raise_on_error=False)
    for event in build.stream():
        if isinstance(event, dg.AssetCheckResult):  # dbt said warn: show the gate's severity
            event = event._replace(severity=severities[(event.asset_key, event.check_name)])
        yield event
    remove_old_invocation_folders(build.target_path, INVOCATION_FOLDERS_KEPT)
    errors = [
        f"{result['unique_id']}: {result.get('message')}"
        for result in build.get_artifact("run_results.json")["results"]
        if result["status"] in DBT_ERROR_STATUSES
    ]
    if errors or not build.is_successful():
        raise dg.Failure("dbt build failed:\n" + "\n".join(errors or ["see the dbt log"]))


def remove_old_invocation_folders(current: Path, kept: int) -> None:
    """Remove the target folders of this asset's older dbt invocations but the newest ``kept``
    (a daily run would otherwise leave gigabytes a year)."""
    prefix = current.name.split("-")[0]
    folders = sorted(current.parent.glob(f"{prefix}-*"), key=lambda p: p.stat().st_mtime)
    for folder in folders[:-kept]:
        if folder != current:
            shutil.rmtree(folder, ignore_errors=True)
