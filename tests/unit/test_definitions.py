"""The Dagster code location loads, its asset keys are what they were, and lineage links up."""

import os
import subprocess
import sys

import dagster as dg
import pytest

from orchestration.definitions import build_definitions, defs
from sources.settings import REPO_ROOT, PostgresTarget, Settings

EXPECTED_ASSET_KEYS = {
    "agency/agency_projects",
    "plans/plan_items",
    "register/register_villages",
    "survey/survey_households",
    "survey/survey_members",
    "restricted/survey_households",
    "restricted/stg_restricted__household_drug_answers",
    "restricted/int_village_drug_counts",
    "mart_village_drug_situation",
    "reference/geo_provinces",
    "reference/geo_districts",
    "reference/geo_subdistricts",
    "reference/geo_abolished",
    "reference/programme_targets",
    "reference/programme_provinces",
    "staging/stg_register__villages",
    "staging/stg_survey__households",
    "staging/stg_survey__members",
    "staging/stg_agency__projects",
    "staging/stg_plans__plan_items",
    "staging/stg_reference__subdistricts",
    "intermediate/int_agency_names_mapped",
    "reference/agency_name_variants",
    "reference/bmn_income_lines",
    "intermediate/int_village_survey_rounds",
    "intermediate/int_register_rows",
    "intermediate/int_register_villages",
    "intermediate/int_rows_located",
    "intermediate/int_household_surveys",
    "intermediate/int_household_members",
    "dim_agencies",
    "dim_geography",
    "dim_fiscal_periods",
    "fct_budget_lines",
    "fct_household_surveys",
    "fct_plan_items",
    "fct_household_members",
    "fct_excluded_rows",
    "mart_village",
    "mart_phase",
    "mart_phase_province",
    "mart_budget",
    "mart_budget_village",
    "ingest/ingest_ledger",
    "ingest/ingest_sheets",
    "staging/stg_ingest__files",
    "intermediate/int_reporting_calendar",
    "intermediate/int_counted_household_surveys",
    "reference/reporting_calendar",
    "reference/reporting_agencies",
    "fct_expected_reports",
    "mart_reporting_completeness",
    "mart_files_not_read",
    "published",
    "committee_report",
}


@pytest.fixture(scope="module")
def asset_graph():
    return defs.resolve_asset_graph()


def test_asset_keys_snapshot(asset_graph):
    keys = {key.to_user_string() for key in asset_graph.get_all_asset_keys()}
    assert keys == EXPECTED_ASSET_KEYS


def test_every_dbt_source_is_produced_by_an_ingest_asset(asset_graph):
    materializable = asset_graph.materializable_asset_keys
    for key in asset_graph.get_all_asset_keys():
        assert key in materializable, f"{key.to_user_string()} has no asset that produces it"
    staging = asset_graph.get(dg.AssetKey(["staging", "stg_register__villages"]))
    assert dg.AssetKey(["register", "register_villages"]) in staging.parent_keys


def test_target_checks_are_blocking_checks_on_the_marts(asset_graph):
    check_keys = {(k.asset_key.to_user_string(), k.name) for k in asset_graph.asset_check_keys}
    assert ("mart_phase", "phase_targets_met") in check_keys
    assert ("mart_village", "programme_provinces_covered") in check_keys
    assert ("mart_village", "unique_mart_village_village_code") in check_keys  # dbt test


def test_the_schedule_sensors_and_jobs_are_in_the_code_location():
    assert {job.name for job in defs.jobs} == {"roijai_pipeline", "roijai_publish"}
    assert [schedule.name for schedule in defs.schedules] == ["daily_at_0600_bangkok"]
    assert {sensor.name for sensor in defs.sensors} == {
        "landing_files",
        "publish_after_pipeline",
        "record_failed_pipeline",
    }


def test_dagster_definitions_validate():
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    completed = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate",
         "-m", "orchestration.definitions"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "All code locations passed validation" in completed.stderr + completed.stdout


def test_the_postgres_copy_is_wired_only_when_its_url_is_set(tmp_path):
    """Without ROIJAI_POSTGRES_URL there is no PostgreSQL asset (the snapshot above); with it,
    the copy follows the publication in the publish job, never in the pipeline job, and its
    URL (with a password) is read from the environment when a run starts, not shown."""
    target = PostgresTarget("postgresql://bi:secret@db/warehouse", "bi", "bi_reader")
    settings = Settings(tmp_path, tmp_path / "w.duckdb", tmp_path / "landing", target)
    definitions = build_definitions(settings)
    copy = definitions.resolve_asset_graph().get(dg.AssetKey("published_postgres"))
    assert copy.parent_keys == {dg.AssetKey("published")}
    for job, holds_it in (("roijai_publish", True), ("roijai_pipeline", False)):
        keys = definitions.resolve_job_def(job).asset_layer.executable_asset_keys
        assert (dg.AssetKey("published_postgres") in keys) is holds_it, job
    resource = definitions.resources["postgres"]
    assert resource.url == dg.EnvVar("ROIJAI_POSTGRES_URL")
    assert (resource.schema_name, resource.reader_role) == ("bi", "bi_reader")
