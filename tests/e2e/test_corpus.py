"""The pipeline on a landing batch written by other hands, compared with that batch's truth.

``../shared/corpus`` (or ``ROIJAI_CORPUS_DIR``) holds ``landing/`` and ``truth.json``, made by a
generator outside this project. Everything expected here is read from the truth file, none of
it from our own code or this corpus's file names, so the same test judges any batch of that
shape. Skipped, with the reason, when no corpus is present.
"""

import json
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.run import run_pipeline
from sources.normalize import canonical_citizen_id
from sources.pseudonymize import pseudonymize
from sources.settings import REPO_ROOT, settings_shared_with_dbt
from tests.e2e.landing_counts import non_blank_rows_per_sheet

CORPUS = Path(os.environ.get("ROIJAI_CORPUS_DIR") or REPO_ROOT.parent / "shared" / "corpus")
KEY = os.environ["ROIJAI_PSEUDONYM_KEY"]  # set by tests/conftest.py
DIGIT_RUN = re.compile(r"(?<![0-9a-f])[0-9][0-9 -]{9,}[0-9](?![0-9a-f])")  # not inside a hash

pytestmark = pytest.mark.skipif(
    not (CORPUS / "truth.json").is_file(),
    reason=f"no independent corpus at {CORPUS} (set ROIJAI_CORPUS_DIR to one)",
)


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    landing = root / "landing"
    shutil.copytree(CORPUS / "landing", landing)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROIJAI_DATA_DIR", str(root / "data"))
        patch.setenv("ROIJAI_LANDING_DIR", str(landing))
        patch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
        settings = settings_shared_with_dbt()
        with dg.DagsterInstance.ephemeral() as instance:
            outcome = run_pipeline(settings, instance)
        yield settings, outcome, landing


@pytest.fixture
def warehouse(corpus_run):
    settings, _, _ = corpus_run
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        yield connection


def file_name(path: str) -> str:
    return Path(path).name


def test_the_run_succeeds_and_is_published(corpus_run):
    _, outcome, _ = corpus_run
    assert outcome.success
    assert outcome.published, outcome.decision


def test_villages_per_phase_meet_the_truth(warehouse, truth):
    for phase in (1, 2):
        expected = truth["register"][f"phase_{phase}"]
        got = warehouse.execute(
            "select count(*), count(distinct subdistrict_code), count(distinct district_code) "
            "from mart_village where phase = ?",
            [phase],
        ).fetchone()
        assert got == (expected["villages"], expected["subdistricts"], expected["districts"])
    villages = dict(warehouse.execute("select village_code, phase from mart_village").fetchall())
    assert villages == {v["code"]: v["phase"] for v in truth["villages"]}
    for province, phases in truth["register"]["by_province"].items():
        for phase_key, count in phases.items():
            phase = int(phase_key.removeprefix("phase_"))
            assert sum(1 for c, p in villages.items() if c[:2] == province and p == phase) == count


def test_households_and_members_per_survey_round(warehouse, truth):
    for round_name in ("baseline", "followup"):
        expected = truth["survey"][round_name]
        year = expected["fiscal_year"]
        households = dict(
            warehouse.execute(
                "select village_code, count(*) from fct_household_surveys "
                "where survey_fiscal_year_be = ? group by 1",
                [year],
            ).fetchall()
        )
        assert sum(households.values()) == expected["households"], round_name
        assert households == expected["households_by_village"], round_name
        assert len(households) == expected["villages_surveyed"]
        (members,) = warehouse.execute(
            "select count(*) from fct_household_members join fct_household_surveys "
            "using (household_survey_id) where survey_fiscal_year_be = ?",
            [year],
        ).fetchone()
        assert members == expected["members"], round_name


def test_a_submission_in_two_exports_counts_once(warehouse, truth):
    keys = [d["uuid"] for d in truth["survey"]["duplicated_submissions"]]
    assert keys
    counted = dict(
        warehouse.execute(
            "select submission_key, count(*) from fct_household_surveys "
            "where submission_key in (select unnest(?)) group by 1",
            [keys],
        ).fetchall()
    )
    assert counted == dict.fromkeys(keys, 1)


def _budget(warehouse, group_by: str) -> dict:
    rows = warehouse.execute(
        f"select {group_by}, count(*), round(sum(budget_allocated), 2), "
        f"round(sum(budget_disbursed), 2) from fct_budget_lines group by all"
    ).fetchall()
    return {tuple(str(k) for k in row[:-3]): row[-3:] for row in rows}


def _baht(amount: float) -> Decimal:
    """An amount of the truth file as the warehouse holds money: exactly, to the satang."""
    return Decimal(str(amount)).quantize(Decimal("0.01"))


def _expected(figures: dict) -> tuple:
    return (figures["lines"], _baht(figures["allocated"]), _baht(figures["disbursed"]))


def test_budget_overall_per_fiscal_year_and_per_agency(warehouse, truth):
    budget = truth["budget"]
    assert _budget(warehouse, "'all'") == {("all",): _expected(budget["total"])}
    assert _budget(warehouse, "fiscal_year_be") == {
        (year,): _expected(f) for year, f in budget["by_fiscal_year"].items()
    }
    assert _budget(warehouse, "agency_name") == {
        (agency,): _expected(f) for agency, f in budget["by_agency"].items()
    }
    assert _budget(warehouse, "fiscal_year_be, agency_name") == {
        (year, agency): _expected(f)
        for year, agencies in budget["by_fiscal_year_agency"].items()
        for agency, f in agencies.items()
    }
    # the marts say the same as the facts
    (allocated, disbursed) = warehouse.execute(
        "select round(sum(budget_allocated), 2), round(sum(budget_disbursed), 2) from mart_budget"
    ).fetchone()
    assert (allocated, disbursed) == _expected(budget["total"])[1:]


def test_plans_villages_items_and_requested_budget(warehouse, truth):
    plans = truth["plans"]
    per_village = {
        code: (items, requested)
        for code, items, requested in warehouse.execute(
            "select village_code, count(*), coalesce(sum(requested_budget), 0) "
            "from fct_plan_items group by 1"
        ).fetchall()
    }
    assert per_village == {
        code: (v["items"], _baht(v["requested"])) for code, v in plans["by_village"].items()
    }
    assert len(per_village) == plans["villages_with_plan"]
    assert sum(items for items, _ in per_village.values()) == plans["items"]
    assert sum(r for _, r in per_village.values()) == _baht(plans["requested_total"])
    phases = dict(
        warehouse.execute(
            "select phase, count(*) from mart_village where has_plan group by 1"
        ).fetchall()
    )
    assert {str(p): n for p, n in phases.items()} == plans["villages_with_plan_by_phase"]


def _set_aside(warehouse, members: bool) -> set[tuple[str, int]]:
    """Rows read and not counted: quarantined at ingest, or set aside by the warehouse."""
    tables = "= 'survey_members'" if members else "<> 'survey_members'"
    rows = warehouse.execute(
        f"select file_name, row_number from raw.ingest_quarantine where table_name {tables} "
        "union select source_file_name, source_row_number from fct_excluded_rows "
        f"where table_name {tables}"
    ).fetchall()
    return {(name, row) for name, row in rows}


def test_the_rows_the_truth_quarantines_are_not_counted_and_no_others(warehouse, truth):
    quarantine = {(file_name(r["file"]), r["row"]) for r in truth["quarantine"]}
    set_aside = _set_aside(warehouse, members=False) | _set_aside(warehouse, members=True)
    assert quarantine <= set_aside
    # besides those, only the second copies of submissions sent twice are set aside
    copies = {
        (file_name(row["file"]), row["row"])
        for duplicate in truth["survey"]["duplicated_submissions"]
        for row in duplicate["rows"]
    }
    others = _set_aside(warehouse, members=False) - quarantine
    assert others <= copies
    assert len(others) == len(truth["survey"]["duplicated_submissions"])


def test_members_of_uncounted_households_are_set_aside_not_loaded(warehouse, truth):
    set_aside = _set_aside(warehouse, members=True)
    for member in truth["survey"]["members_dropped_with_their_household"]:
        assert (file_name(member["file"]), member["row"]) in set_aside, member


def test_totals_headings_and_repeated_headers_are_never_data(warehouse, truth):
    data_rows = set()
    for table in ("register_villages", "agency_projects", "plan_items", "survey_households"):
        data_rows |= set(
            warehouse.execute(f"select _file_name, _row_number, _sheet from raw.{table}").fetchall()
        )
    data_rows |= set(
        warehouse.execute(
            "select file_name, row_number, sheet from raw.ingest_quarantine"
        ).fetchall()
    )
    for row in truth["not_data_rows"]:
        name = file_name(row["file"])
        sheet = row["sheet"] or Path(name).stem
        assert (name, row["row"], sheet) not in data_rows, row


def test_failed_files_fail_and_every_other_file_loads(warehouse, truth):
    statuses = dict(
        warehouse.execute(
            "select file_name, status from raw.ingest_ledger where status <> 'replaced'"
        ).fetchall()
    )
    failed = {file_name(f["file"]) for f in truth["failed_files"]}
    assert {name for name, status in statuses.items() if status == "failed"} == failed
    for path in truth["files"]:
        if file_name(path) not in failed:
            assert statuses[file_name(path)] in ("loaded", "partial"), path


def test_every_sheet_is_accounted_for_and_reconciles(warehouse, corpus_run):
    _, _, landing = corpus_run
    sheets = warehouse.execute(
        "select file_name, sheet, status, rows_read, rows_loaded, rows_quarantined, "
        "non_blank_rows from raw.ingest_sheets"
    ).fetchall()
    recorded = {(f, s): (st, r, lo, q, n) for f, s, st, r, lo, q, n in sheets}
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        try:
            expected = non_blank_rows_per_sheet(path)
        except ValueError:
            continue  # an unreadable file: its ledger row says failed (tested above)
        for sheet, non_blank in expected.items():
            status, read, loaded, quarantined, counted = recorded[(path.name, sheet)]
            assert counted == non_blank, (path.name, sheet)
            assert read == loaded + quarantined, (path.name, sheet)
            if status == "ignored":
                assert read == 0
    for name, read, loaded, quarantined in warehouse.execute(
        "select file_name, rows_read, rows_loaded, rows_quarantined from raw.ingest_ledger "
        "where status in ('loaded', 'partial')"
    ).fetchall():
        per_sheet = [r for (f, _), r in recorded.items() if f == name]
        assert read == loaded + quarantined == sum(r[1] for r in per_sheet), name


def test_invalid_citizen_ids_are_flagged_and_no_raw_id_reaches_the_warehouse(warehouse):
    ids = json.loads((CORPUS / "truth_citizen_ids.json").read_text(encoding="utf-8"))
    flags = dict(
        warehouse.execute(
            "select citizen_id_hash, bool_and(citizen_id_is_valid) from raw.survey_members "
            "group by 1 union all select head_citizen_id_hash, bool_and(head_citizen_id_is_valid) "
            "from raw.survey_households group by 1"
        ).fetchall()
    )
    key = KEY.encode("utf-8")
    for valid, group in ((True, ids["valid"]), (False, ids["invalid"])):
        for citizen_id in group:
            pseudonym = pseudonymize(citizen_id, key, citizen_id=True)
            if pseudonym in flags:
                assert flags[pseudonym] is valid, "an ID's checksum flag is wrong"
    raw_ids = {canonical_citizen_id(i) for i in ids["valid"] + ids["invalid"]}
    for schema, table, column in warehouse.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'JSON')"
    ).fetchall():
        values = warehouse.execute(f"select distinct {column}::varchar from {schema}.{table}")
        for (value,) in values.fetchall():
            for run in DIGIT_RUN.findall(value or ""):
                assert canonical_citizen_id(run) not in raw_ids, (
                    f"a citizen ID in {schema}.{table}.{column}"
                )
