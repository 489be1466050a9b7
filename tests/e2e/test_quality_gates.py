"""Wrong data in a copy of the sample warehouse: the checks fail, say where (file, sheet, row or
village), land in quality.check_results with one row per check per run, and in the report.

The copy is re-run through the real Dagster job: the landing files are unchanged, so ingest
leaves the doctored raw tables alone and dbt and the GX checks judge them.
"""

import shutil

import dagster as dg
import duckdb
import pytest

from expectations.results import blocking_failures
from orchestration.definitions import defs
from orchestration.run import run_pipeline
from serving.publication import PublishedPaths, read_manifest
from sources.settings import settings_shared_with_dbt
from tests.e2e.test_pipeline import personal_values_in_the_sample, warehouse_text

REGISTER = "raw.register_villages"
KOBO = "roijai_household_survey_kobo_export.xlsx"
ODK_MEMBERS = "roijai_followup_2564_odk-members.csv"

DEFECTS = [
    # a phase-1 village listed again as phase 2, and a village outside the programme
    f"insert into {REGISTER} select * replace (2 as phase, _row_number + 1000 as _row_number) "
    f"from {REGISTER} where phase = 1 order by village_code limit 1",
    f"insert into {REGISTER} select * replace ('10010101' as village_code, 2 as phase, "
    f"_row_number + 2000 as _row_number) from {REGISTER} order by village_code limit 1",
    # a 7-digit village code in an unknown phase, and a village with no phase
    f"insert into {REGISTER} select * replace ('5001010' as village_code, 3 as phase, "
    f"_row_number + 3000 as _row_number) from {REGISTER} order by village_code limit 1",
    f"insert into {REGISTER} select * replace (null as phase, _row_number + 4000 as _row_number) "
    f"from {REGISTER} order by village_code desc limit 1",
    # survey rows: a household outside the target villages, a negative income, no members
    f"update raw.survey_households set village_code = '10010102' "
    f"where _file_name = '{KOBO}' and _row_number = 10",
    f"update raw.survey_households set income_wage = -500 "
    f"where _file_name = '{KOBO}' and _row_number = 11",
    f"update raw.survey_households set members_count = 0 "
    f"where _file_name = '{KOBO}' and _row_number = 12",
    # members: born in the future; every ID of one file fails its checksum
    "update raw.survey_members set birth_date = date '2999-01-01' "
    "where rowid = (select min(rowid) from raw.survey_members)",
    f"update raw.survey_members set citizen_id_is_valid = false where _file_name = '{ODK_MEMBERS}'",
    # budget lines: over-disbursed, outside the register, a start before the plan period
    "update raw.agency_projects set budget_disbursed = budget_allocated + 1000 "
    "where rowid = (select min(rowid) from raw.agency_projects)",
    "update raw.agency_projects set village_code = '10010103' "
    "where rowid = (select max(rowid) from raw.agency_projects)",
    "update raw.agency_projects set start_date = date '2017-01-01' "
    "where rowid = (select min(rowid) + 1 from raw.agency_projects)",
    # the same project sent again in another agency file
    "insert into raw.agency_projects select * replace ((select max(_file_name) "
    "from raw.agency_projects) as _file_name, 9999 as _row_number) from raw.agency_projects "
    "where rowid = (select min(rowid) from raw.agency_projects)",
    # a plan dated in the future, a plan for a village outside the register
    "update raw.plan_items set plan_date = date '2999-01-01' "
    "where rowid = (select min(rowid) from raw.plan_items)",
    "update raw.plan_items set village_code = '10010104' "
    "where rowid = (select max(rowid) from raw.plan_items)",
    # a budget line and a household loaded twice under the same lineage (a loader bug)
    "insert into raw.agency_projects select * from raw.agency_projects "
    "where rowid = (select min(rowid) + 2 from raw.agency_projects)",
    f"insert into raw.survey_households select * from raw.survey_households "
    f"where _file_name = '{KOBO}' and _row_number = 20",
    # the ledger claims many more rows in quarantine for the register than there are
    "update raw.ingest_ledger set rows_read = rows_read + 100, "
    "rows_quarantined = rows_quarantined + 100 where source_kind = 'register'",
    # half the plan items lost since the sample's run, and no file replaced to explain it
    "update raw.ingest_ledger set rows_loaded = rows_loaded // 2 where source_kind = 'plans'",
]


@pytest.fixture(scope="module")
def broken(sample_run, pipeline_env, tmp_path_factory):
    data = tmp_path_factory.mktemp("broken") / "data"
    shutil.copytree(pipeline_env.data_dir, data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROIJAI_DATA_DIR", str(data))
        patch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
        settings = settings_shared_with_dbt()
        with duckdb.connect(str(settings.duckdb_path)) as connection:
            for defect in DEFECTS:
                connection.execute(defect)
        with dg.DagsterInstance.ephemeral() as instance:
            result = run_pipeline(settings, instance)
        records = result.decision.records
        yield settings, result, {(r.asset_key, r.check_name): r for r in records}


def failed(records, asset_key, check_name, severity):
    record = records[(asset_key, check_name)]
    assert record.passed is False, (asset_key, check_name, record)
    assert record.severity == severity
    return record.details


def test_structural_dbt_tests_fail_and_show_the_failing_rows(broken):
    _, _, records = broken
    register = "staging/stg_register__villages"
    details = failed(records, register, "each_village_in_one_phase", "error")
    assert details.startswith("2 failing row(s)")
    assert "phase = 1 at file ทะเบียนหมู่บ้านเป้าหมาย" in details
    assert "phase = 2 at file ทะเบียนหมู่บ้านเป้าหมาย" in details
    details = failed(
        records, "staging/stg_survey__households", "survey_rows_in_target_villages", "warn"
    )
    assert f"village_code = 10010102 at file {KOBO}" in details and "row 10" in details
    details = failed(
        records, "staging/stg_agency__projects", "budget_lines_in_target_villages", "warn"
    )
    assert "village_code = 10010103 at file" in details
    details = failed(records, "mart_village", "village_codes_in_official_subdistricts", "error")
    assert "subdistrict_code = 100101" in details
    details = failed(records, register, "register_village_codes_have_8_digits", "error")
    assert "village_code = 5001010 at file ทะเบียนหมู่บ้านเป้าหมาย" in details
    details = failed(
        records, register, "accepted_values_stg_register__villages_phase__1__2", "error"
    )
    assert "value_field = 3, n_records = 1" in details
    details = failed(records, register, "not_null_stg_register__villages_phase", "error")
    assert "phase = null at file ทะเบียนหมู่บ้านเป้าหมาย" in details
    details = failed(
        records, "staging/stg_plans__plan_items", "plan_items_in_target_villages", "warn"
    )
    assert "village_code = 10010104 at file แผนพัฒนาหมู่บ้าน" in details


def test_programme_checks_fail_saying_by_how_much(broken):
    _, _, records = broken
    details = failed(records, "mart_phase", "phase_targets_met", "error")
    # the phase-1 village listed again counts once, in its first row's phase
    assert "phase 2: 87 villages against a target of 86 (1 over)" in details
    details = failed(records, "mart_village", "programme_provinces_covered", "error")
    assert "target villages in province(s) outside the programme: 10" in details


def test_row_checks_name_the_file_sheet_and_row(broken):
    _, _, records = broken
    households = "staging/stg_survey__households"
    details = failed(records, households, "amounts_not_negative", "error")
    location = f"at file {KOBO}, sheet roijai_household_survey, row 11 (village "
    assert f"income_wage = -500 (below 0) {location}" in details
    details = failed(records, households, "members_at_least_one", "error")
    assert "members_count = 0 (below 1) at file" in details and "row 12" in details
    details = failed(records, "staging/stg_survey__members", "birth_dates_not_in_future", "error")
    assert "birth_date 2999-01-01 is in the future" in details
    details = failed(records, "staging/stg_plans__plan_items", "dates_in_plan_period", "error")
    assert "plan_date 2999-01-01 is in the future" in details
    details = failed(records, "staging/stg_agency__projects", "dates_in_plan_period", "error")
    assert "start_date 2017-01-01 is before the plan period starts (2018-10-01)" in details
    details = failed(records, "staging/stg_agency__projects", "disbursed_within_allocated", "warn")
    assert "disbursed" in details and "> allocated" in details


def test_per_file_and_cross_file_checks_name_the_files(broken):
    _, _, records = broken
    details = failed(records, "fct_budget_lines", "projects_unique_across_files", "warn")
    assert "is in 2 files" in details
    details = failed(records, "staging/stg_survey__members", "citizen_ids_mostly_valid", "warn")
    assert f"file {ODK_MEMBERS}: 2,431 of 2,431 citizen IDs fail the checksum (100.0%" in details
    details = failed(records, "register/register_villages", "quarantine_rate_per_file", "warn")
    assert "100 of 233 rows in quarantine" in details


def test_reconciliation_catches_rows_the_ledger_does_not_account_for(broken):
    _, _, records = broken
    details = failed(records, "register/register_villages", "ledger_reconciles", "error")
    assert "rows quarantined: 100 in ingest ledger but 0 in raw.ingest_quarantine" in details
    assert "all register files: rows loaded: 133 in ingest ledger but 137 in raw tables" in details
    # rows loaded twice under one lineage fan out the joins: counted twice in the facts
    details = failed(records, "mart_village", "villages_reconcile", "error")
    assert (
        "household questionnaires: 2,349 in raw.survey_households but 2,351 in "
        "fct_household_surveys + set aside"
    ) in details
    details = failed(records, "mart_budget", "budget_reconciles", "error")
    assert "budget lines: 259 in raw.agency_projects but 261 in fct_budget_lines + set aside" in (
        details
    )


def test_a_source_that_lost_half_its_rows_since_the_last_run_warns(broken, pipeline_env):
    settings, _, records = broken
    with duckdb.connect(str(pipeline_env.duckdb_path), read_only=True) as connection:
        (before,) = connection.execute(
            "select sum(rows_loaded) from raw.ingest_ledger where source_kind = 'plans' "
            "and status in ('loaded', 'partial')"
        ).fetchone()
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        (after,) = connection.execute(
            "select sum(rows_loaded) from raw.ingest_ledger where source_kind = 'plans' "
            "and status in ('loaded', 'partial')"
        ).fetchone()
    details = failed(records, "mart_reporting_completeness", "source_volumes_steady", "warn")
    assert details.splitlines()[1:] == [
        f"- plans: {after:,} rows loaded, down from {before:,} at the previous successful run "
        f"({1 - after / before:.0%} fewer, threshold 20%), and no file of it was replaced since"
    ]


def test_checks_on_data_left_alone_still_pass(broken):
    _, _, records = broken
    assert records[("staging/stg_plans__plan_items", "amounts_not_negative")].passed
    assert records[("staging/stg_survey__households", "dates_in_plan_period")].passed


def test_a_blocking_failure_fails_the_run_and_every_check_has_one_row_per_run(broken):
    settings, _, records = broken
    assert blocking_failures(list(records.values()))
    check_keys = defs.resolve_asset_graph().asset_check_keys
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        rows_per_run = connection.execute(
            "select run_id, count(*), count(distinct (asset_key, check_name)) "
            "from quality.check_results group by run_id"
        ).fetchall()
    assert len(rows_per_run) == 2  # the sample run copied over, and this one
    assert all(rows == checks == len(check_keys) for _, rows, checks in rows_per_run)


def test_the_report_shows_the_failures_and_needs_no_internet(broken):
    settings, result, _ = broken
    report = settings.report_path.read_text(encoding="utf-8")
    assert result.run_id in report
    assert "nothing is published from this run" in report
    assert "phase 2: 87 villages against a target of 86 (1 over)" in report
    assert "http://" not in report and "https://" not in report


def test_a_blocking_failure_keeps_the_last_good_publication(broken, sample_run):
    settings, result, _ = broken
    assert not result.decision.publishable and not result.published
    manifest = read_manifest(PublishedPaths(settings.published_dir))
    assert manifest["pipeline_run_id"] == sample_run.run_id  # published before the defects
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        logged = connection.execute(
            "select status, checks_failed_error, published from quality.pipeline_runs "
            "where run_id = ?",
            [result.run_id],
        ).fetchone()
    assert logged[0] == "success" and logged[1] > 0 and logged[2] is False


def test_failing_rows_kept_and_the_report_hold_no_personal_data(broken):
    settings, _, _ = broken
    personal = personal_values_in_the_sample()
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        stored = connection.execute(
            "select count(*) from duckdb_tables() where schema_name = 'test_failures' "
            "and estimated_size > 0"
        ).fetchone()[0]
        assert stored > 0  # the failing rows dbt kept are among what is scanned
        for where, values in warehouse_text(connection):
            assert not values & personal, f"personal data in {where}"
    report = settings.report_path.read_text(encoding="utf-8")
    assert [value for value in personal if value in report] == []
