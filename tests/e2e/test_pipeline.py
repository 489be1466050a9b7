"""A real Dagster run of every asset and check on the sample, into a temporary DuckDB file."""

import csv
import json
import os
import re
import stat
import subprocess

from expectations.catalog import CHECKS
from orchestration.dbt_project import DBT_EXECUTABLE
from orchestration.definitions import defs
from serving.publication import PublishedPaths, read_manifest
from sources.normalize import is_valid_citizen_id
from sources.readers import read_sheets
from sources.settings import REPO_ROOT, SAMPLE_LANDING_DIR
from tests.helpers import warehouse_text

PERSONAL = re.compile(r"(name|phone|cid)$")  # head_name, member_name, phone, head_cid, ...


def test_the_run_succeeds_with_every_check_passing(sample_run, pipeline_env):
    assert sample_run.success
    records = sample_run.decision.records
    # the sample's only warning: the members of households it quarantines, counted
    not_passed = [(r.asset_key, r.check_name, r.severity) for r in records if not r.passed]
    assert not_passed == [("fct_excluded_rows", "orphan_rows_counted", "warn")]
    assert sample_run.decision.green
    assert {check.name for check in CHECKS} <= {r.check_name for r in records}
    assert {r.source for r in records} == {"dbt", "great_expectations"}


def test_a_run_whose_checks_pass_is_published(sample_run, pipeline_env):
    assert sample_run.published
    manifest = read_manifest(PublishedPaths(pipeline_env.published_dir))
    assert manifest["pipeline_run_id"] == sample_run.run_id
    assert manifest["tables"]["mart_village"]["rows"] == 133
    assert manifest["checks"]["counts"]["failed (error)"] == 0
    assert len(manifest["source_files"]) == 12  # the sample's files, the duplicate excepted


def test_what_the_run_writes_is_private_but_the_publication(sample_run, pipeline_env):
    """The warehouse (with the restricted schema) and the quality report are the pipeline
    account's alone; the publication is readable by every account (the tests set the pseudonym
    key in the environment: the key file's mode is tested with load_key)."""
    mode = {path: stat.S_IMODE(path.stat().st_mode) for path in pipeline_env.data_dir.rglob("*")}
    private = [pipeline_env.duckdb_path, pipeline_env.report_path]
    assert all(mode[path] == 0o600 for path in private), {p: oct(mode[p]) for p in private}
    published = [p for p in mode if p.is_relative_to(pipeline_env.published_dir)]
    assert published and all(mode[p] in (0o644, 0o755) for p in published)


def test_check_results_hold_one_row_per_check_of_the_run(sample_run, warehouse):
    check_keys = defs.resolve_asset_graph().asset_check_keys
    rows = warehouse.execute(
        "select asset_key, check_name, count(*) from quality.check_results "
        "where run_id = ? group by all",
        [sample_run.run_id],
    ).fetchall()
    assert {count for _, _, count in rows} == {1}
    assert {(asset, name) for asset, name, _ in rows} == {
        (key.asset_key.to_user_string(), key.name) for key in check_keys
    }


def test_mart_village_meets_the_programme_targets(warehouse):
    per_phase = warehouse.execute(
        "select phase, count(*), count(distinct subdistrict_code), count(distinct district_code) "
        "from mart_village group by phase order by phase"
    ).fetchall()
    assert per_phase == [(1, 47, 33, 19), (2, 86, 86, 19)]
    provinces = warehouse.execute("select distinct province_code from mart_village").fetchall()
    assert sorted(p for (p,) in provinces) == ["50", "56", "57", "58"]


def test_mart_village_rows_are_complete(warehouse):
    assert (
        warehouse.execute(
            "select count(*) from mart_village where length(village_code) = 8 "
            "and village_code like subdistrict_code || '%' and province_name_th is not null"
        ).fetchone()
        == warehouse.execute("select count(*) from raw.register_villages").fetchone()
    )
    questionnaires = warehouse.execute(
        "select sum(household_questionnaires) from mart_village"
    ).fetchone()
    loaded = warehouse.execute("select count(*) from raw.survey_households").fetchone()
    assert questionnaires == loaded  # households in mart_village = households loaded
    assert loaded[0] > 0


def test_mart_phase_holds_targets_beside_actuals(warehouse):
    rows = warehouse.execute(
        "select phase, target_villages, actual_villages, target_subdistricts, "
        "actual_subdistricts, target_districts, actual_districts, target_provinces "
        "from mart_phase order by phase"
    ).fetchall()
    assert rows == [(1, 47, 47, 33, 33, 19, 19, 4), (2, 86, 86, 86, 86, 19, 19, 4)]


def test_dbt_docs_generate_offline(sample_run, pipeline_env, tmp_path):
    env = os.environ | {"ROIJAI_DUCKDB_PATH": str(pipeline_env.duckdb_path)}
    subprocess.run(
        [str(DBT_EXECUTABLE), "docs", "generate", "--target-path", str(tmp_path)],
        cwd=REPO_ROOT / "dbt_project",
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    catalog = json.loads((tmp_path / "catalog.json").read_text(encoding="utf-8"))
    assert "model.roijai.mart_village" in catalog["nodes"]
    assert (tmp_path / "index.html").stat().st_size > 0


def test_mart_budget_reconciles_with_the_budget_lines_loaded(warehouse):
    mart = warehouse.execute(
        "select sum(budget_allocated), sum(budget_disbursed), count(distinct agency_name) "
        "from mart_budget"
    ).fetchone()
    raw = warehouse.execute(
        "select sum(budget_allocated), sum(budget_disbursed), count(distinct agency_name) "
        "from raw.agency_projects"
    ).fetchone()
    assert mart == raw
    assert raw[0] > 0


def sample_tables():
    """Every sheet of the sample's survey files, as rows of text, read without our readers."""
    for path in sorted((SAMPLE_LANDING_DIR / "survey").iterdir()):
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                yield list(csv.reader(handle))
        else:
            yield from (sheet.rows for sheet in read_sheets(path))


def personal_values_in_the_sample() -> set[str]:
    """Every name, phone and citizen ID written into the sample survey exports."""
    values = set()
    for rows in sample_tables():
        header = rows[0]
        personal = [
            i for i, h in enumerate(header) if h and not h.startswith("_") and PERSONAL.search(h)
        ]
        values |= {row[i] for row in rows[1:] for i in personal if row[i]}
    return values


def test_no_personal_data_reaches_the_warehouse(warehouse):
    personal = personal_values_in_the_sample()
    assert len(personal) > 10_000  # the sample really holds names, phones and IDs
    for where, values in warehouse_text(warehouse):
        assert not values & personal, f"personal data in {where}"


def test_no_string_in_the_warehouse_holds_a_citizen_id(warehouse):
    # 13 digits standing alone (a hex pseudonym may hold a run of digits between letters)
    thirteen_digits = re.compile(r"(?<![0-9A-Za-z])[0-9]{13}(?![0-9A-Za-z])")
    for where, values in warehouse_text(warehouse):
        found = [m for v in values for m in thirteen_digits.findall(v) if is_valid_citizen_id(m)]
        assert found == [], f"citizen ID in {where}"
