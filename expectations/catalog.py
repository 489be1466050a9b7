"""Every Great Expectations check of the pipeline: what it judges, how severe a failure is,
and what it reads from the warehouse. The Dagster asset checks are built from this list, and
docs/quality.md describes each entry (structural rules are dbt tests, not listed here).

A check reads small frames with SQL and hands them to a judge from expectations.programme
or expectations.quality, so a test can feed a judge wrong frames without a warehouse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from expectations.outcome import CheckOutcome, Severity
from expectations.programme import (
    check_phase_targets,
    check_province_coverage,
    check_survey_round_coverage,
)
from expectations.quality import (
    check_dates_in_window,
    check_disbursed_within_allocated,
    check_every_table_read,
    check_projects_unique_across_files,
    check_reconciliation,
    check_share_per_file,
    check_values_at_least,
    programme_today,
)
from expectations.thresholds import (
    MAX_INVALID_CITIZEN_ID_SHARE_PER_FILE,
    MAX_QUARANTINE_SHARE_PER_FILE,
)
from sources.contracts import load_contracts
from sources.ingest import LEDGER, LOADED_SQL, QUARANTINE, SHEETS, raw_table

Frames = Mapping[str, pd.DataFrame]
LINEAGE = "source_file_name, source_sheet, source_row_number"


@dataclass(frozen=True)
class QualityCheck:
    name: str
    asset: tuple[str, ...]  # the key of the asset it judges (a dbt model's is schema, name)
    severity: Severity
    description: str
    reads: Mapping[str, str]  # frame name -> SQL on the warehouse
    judge: Callable[[Frames], CheckOutcome]

    def run(self, connection: duckdb.DuckDBPyConnection) -> CheckOutcome:
        return self.judge({name: connection.sql(sql).df() for name, sql in self.reads.items()})


PLAN_PERIOD_SQL = (
    "select level, target_date from reference.programme_targets "
    "where level in ('plan_start', 'plan_end')"
)


def plan_period(targets: pd.DataFrame) -> tuple[date | None, date | None]:
    dates = {
        row["level"]: pd.Timestamp(row["target_date"]).date()
        for _, row in targets.dropna(subset=["target_date"]).iterrows()
    }
    return dates.get("plan_start"), dates.get("plan_end")


def dates_in_plan_period(model: str, columns: list[str]) -> QualityCheck:
    def judge(frames: Frames) -> CheckOutcome:
        start, end = plan_period(frames["plan"])
        return check_dates_in_window(
            frames["rows"], columns, start, end, programme_today(), "dates_in_plan_period"
        )

    return QualityCheck(
        name="dates_in_plan_period",
        asset=tuple(model.split(".")),
        severity=Severity.ERROR,
        description=f"{', '.join(columns)} inside the plan period (programme_targets seed) "
        "and not in the future.",
        reads={
            "rows": f"select {', '.join(columns)}, village_code, {LINEAGE} from {model}",
            "plan": PLAN_PERIOD_SQL,
        },
        judge=judge,
    )


def amounts_not_negative(
    model: str,
    columns: list[str],
    name: str = "amounts_not_negative",
    severity: Severity = Severity.ERROR,
    why: str = "",
) -> QualityCheck:
    return QualityCheck(
        name=name,
        asset=tuple(model.split(".")),
        severity=severity,
        description=f"{', '.join(columns)} are not negative.{why}",
        reads={"rows": f"select {', '.join(columns)}, village_code, {LINEAGE} from {model}"},
        judge=lambda frames: check_values_at_least(frames["rows"], columns, 0, name),
    )


def citizen_ids_mostly_valid(model: str, column: str) -> QualityCheck:
    return QualityCheck(
        name="citizen_ids_mostly_valid",
        asset=tuple(model.split(".")),
        severity=Severity.WARN,
        description="Per file, at most "
        f"{MAX_INVALID_CITIZEN_ID_SHARE_PER_FILE:.0%} of citizen IDs fail their checksum.",
        reads={
            "per_file": f"select source_file_name as file_name, "
            f"count(*) filter (where not {column}) as part, count({column}) as total "
            f"from {model} group by source_file_name order by file_name"
        },
        judge=lambda frames: check_share_per_file(
            frames["per_file"],
            MAX_INVALID_CITIZEN_ID_SHARE_PER_FILE,
            "citizen IDs fail the checksum",
            "citizen_ids_mostly_valid",
        ),
    )


def quarantine_rate_per_file(kind: str, asset: tuple[str, ...]) -> QualityCheck:
    return QualityCheck(
        name="quarantine_rate_per_file",
        asset=asset,
        severity=Severity.WARN,
        description=f"Per {kind} file, at most {MAX_QUARANTINE_SHARE_PER_FILE:.0%} of the rows "
        "read are in quarantine.",
        reads={
            "per_file": "select file_name, rows_quarantined as part, rows_read as total "
            f"from {LEDGER} where source_kind = '{kind}' and {LOADED_SQL} order by file_name"
        },
        judge=lambda frames: check_share_per_file(
            frames["per_file"],
            MAX_QUARANTINE_SHARE_PER_FILE,
            f"rows in quarantine (see {QUARANTINE})",
            "quarantine_rate_per_file",
        ),
    )


def every_table_read(kind: str, asset: tuple[str, ...]) -> QualityCheck:
    return QualityCheck(
        name="every_table_read",
        asset=asset,
        severity=Severity.WARN,
        description=f"Every sheet of a loaded {kind} file that holds a table was read (a "
        "file with one that was not is 'partial').",
        reads={
            "sheets": "select file_name, sheet, status, holds_table, non_blank_rows, reason "
            f"from {SHEETS} where source_kind = '{kind}' and file_sha256 in (select file_sha256 "
            f"from {LEDGER} where {LOADED_SQL}) order by file_name, sheet_position"
        },
        judge=lambda frames: check_every_table_read(frames["sheets"]),
    )


def ledger_reconciles(kind: str, asset: tuple[str, ...], raw_tables: list[str]) -> QualityCheck:
    """Per loaded file: rows read = loaded + quarantined, and the ledger's counts are the rows
    really in the raw tables and in quarantine."""
    rows_in_raw = " + ".join(
        f"(select count(*) from {table} where _file_sha256 = ledger.file_sha256)"
        for table in raw_tables
    )
    rows_in_quarantine = (
        f"(select count(distinct (table_name, sheet, row_number)) from {QUARANTINE} "
        "where file_sha256 = ledger.file_sha256)"
    )
    measures = {
        "rows read": ("rows_read", "loaded + quarantined", "rows_loaded + rows_quarantined"),
        "rows loaded": ("rows_loaded", "raw tables", rows_in_raw),
        "rows quarantined": ("rows_quarantined", QUARANTINE, rows_in_quarantine),
    }
    loaded = f"{LEDGER} as ledger where source_kind = '{kind}' and {LOADED_SQL}"
    per_file = [
        f"select file_name || ': {measure}' as measure, 'ingest ledger' as source, "
        f"cast({ledger_value} as double) as source_value, '{target}' as target, "
        f"cast({target_value} as double) as target_value from {loaded}"
        for measure, (ledger_value, target, target_value) in measures.items()
    ]
    all_raw_rows = " + ".join(f"(select count(*) from {table})" for table in raw_tables)
    every_file = (
        f"select 'all {kind} files: rows loaded' as measure, 'ingest ledger' as source, "
        "cast(coalesce(sum(rows_loaded), 0) as double) as source_value, "
        f"'raw tables' as target, cast({all_raw_rows} as double) as target_value from {loaded}"
    )
    sql = " union all ".join([*per_file, every_file])
    return QualityCheck(
        name="ledger_reconciles",
        asset=asset,
        severity=Severity.ERROR,
        description=f"Every row of a {kind} file is loaded or in quarantine, as the ledger says.",
        reads={"measures": f"select * from ({sql}) order by measure"},
        judge=lambda frames: check_reconciliation(frames["measures"]),
    )


def reconciliation(
    name: str, model: str, measures: list[tuple[str, str, str, str, str]]
) -> QualityCheck:
    """measures: (measure, source, source SQL expression, target, target SQL expression).
    Values are compared to the satang (2 decimals): sums of doubles differ in the last bits."""
    sql = " union all ".join(
        f"select '{measure}' as measure, '{source}' as source, "
        f"round(cast(({source_sql}) as double), 2) as source_value, '{target}' as target, "
        f"round(cast(({target_sql}) as double), 2) as target_value"
        for measure, source, source_sql, target, target_sql in measures
    )
    return QualityCheck(
        name=name,
        asset=tuple(model.split(".")),
        severity=Severity.ERROR,
        description="Totals are the same in the raw tables, the facts and the mart.",
        reads={"measures": sql},
        judge=lambda frames: check_reconciliation(frames["measures"]),
    )


def _ingest_checks() -> list[QualityCheck]:
    checks = []
    for kind, contract in load_contracts().items():
        asset = (kind, contract.tables[0].table)
        raw_tables = [raw_table(table) for table in contract.tables]
        checks.append(quarantine_rate_per_file(kind, asset))
        checks.append(every_table_read(kind, asset))
        checks.append(ledger_reconciles(kind, asset, raw_tables))
    return checks


def _sum(column: str, table: str) -> str:
    return f"select coalesce(sum({column}), 0) from {table}"


def _count(table: str, where: str = "") -> str:
    return f"select count(*) from {table} {where}"


def _plus(first: str, second: str) -> str:
    return f"({first}) + ({second})"


def _set_aside(table: str) -> str:
    """Rows of a raw table that the warehouse sets aside (fct_excluded_rows)."""
    return _count("fct_excluded_rows", f"where table_name = '{table}'")


TARGET_VILLAGE = "where village_code in (select village_code from mart_village)"
COUNTED_LINES = (
    "where _file_sha256 || ':' || _sheet || ':' || cast(_row_number as varchar) "
    "in (select budget_line_id from fct_budget_lines)"
)

CHECKS: list[QualityCheck] = [
    QualityCheck(
        name="phase_targets_met",
        asset=("mart_phase",),
        severity=Severity.ERROR,
        description="Per phase, villages, subdistricts and districts equal the "
        "programme_targets seed.",
        reads={"mart_phase": "select * from mart_phase order by phase"},
        judge=lambda frames: check_phase_targets(frames["mart_phase"]),
    ),
    QualityCheck(
        name="programme_provinces_covered",
        asset=("mart_village",),
        severity=Severity.ERROR,
        description="The target villages cover exactly the provinces of the "
        "programme_provinces seed.",
        reads={
            "villages": "select province_code from mart_village",
            "provinces": "select province_code from reference.programme_provinces",
        },
        judge=lambda frames: check_province_coverage(
            frames["villages"]["province_code"],
            frames["provinces"]["province_code"].astype(str).tolist(),
        ),
    ),
    QualityCheck(
        name="survey_rounds_complete",
        asset=("mart_village",),
        severity=Severity.WARN,
        description="Each survey round expected so far reached every village of its phase.",
        reads={
            "villages": "select village_code, village_name_th, phase, survey_rounds_expected, "
            "survey_rounds_received from mart_village order by village_code"
        },
        judge=lambda frames: check_survey_round_coverage(frames["villages"]),
    ),
    QualityCheck(
        name="members_at_least_one",
        asset=("staging", "stg_survey__households"),
        severity=Severity.ERROR,
        description="A household has at least one member.",
        reads={
            "rows": f"select members_count, village_code, {LINEAGE} "
            "from staging.stg_survey__households"
        },
        judge=lambda frames: check_values_at_least(
            frames["rows"], ["members_count"], 1, "members_at_least_one"
        ),
    ),
    amounts_not_negative(
        "staging.stg_survey__households",
        ["income_agriculture", "income_wage", "income_other", "household_cost", "debt_total"],
    ),
    amounts_not_negative(
        "staging.stg_agency__projects",
        ["budget_allocated", "budget_disbursed"],
        "budget_amounts_not_negative",
        Severity.WARN,
        " A refund adjustment ('(3,500)') is negative and counts: each is listed for review.",
    ),
    amounts_not_negative("staging.stg_plans__plan_items", ["requested_budget"]),
    QualityCheck(
        name="disbursed_within_allocated",
        asset=("staging", "stg_agency__projects"),
        severity=Severity.WARN,
        description="No budget line disburses more than it was allocated.",
        reads={
            "lines": "select budget_allocated, budget_disbursed, project_name, village_code, "
            f"{LINEAGE} from staging.stg_agency__projects"
        },
        judge=lambda frames: check_disbursed_within_allocated(frames["lines"]),
    ),
    QualityCheck(
        name="projects_unique_across_files",
        asset=("fct_budget_lines",),
        severity=Severity.WARN,
        description="A project (agency, fiscal year, name, village) comes from one file only.",
        reads={
            "lines": "select agency_name, fiscal_year_be, project_name, village_code, "
            f"{LINEAGE} from fct_budget_lines"
        },
        judge=lambda frames: check_projects_unique_across_files(frames["lines"]),
    ),
    dates_in_plan_period("staging.stg_survey__households", ["survey_date"]),
    dates_in_plan_period("staging.stg_agency__projects", ["start_date", "end_date"]),
    dates_in_plan_period("staging.stg_plans__plan_items", ["plan_date"]),
    dates_in_plan_period("staging.stg_register__villages", ["community_vote_date"]),
    QualityCheck(
        name="birth_dates_not_in_future",
        asset=("staging", "stg_survey__members"),
        severity=Severity.ERROR,
        description="No member is born after today.",
        reads={"rows": f"select birth_date, {LINEAGE} from staging.stg_survey__members"},
        judge=lambda frames: check_dates_in_window(
            frames["rows"], ["birth_date"], None, None, programme_today(), "birth_dates"
        ),
    ),
    citizen_ids_mostly_valid("staging.stg_survey__households", "head_citizen_id_is_valid"),
    citizen_ids_mostly_valid("staging.stg_survey__members", "citizen_id_is_valid"),
    reconciliation(
        "budget_reconciles",
        "mart_budget",
        [
            (
                "budget lines",
                "raw.agency_projects",
                _count("raw.agency_projects"),
                "fct_budget_lines + set aside",
                _plus(_count("fct_budget_lines"), _set_aside("agency_projects")),
            ),
            (
                "allocated (baht)",
                "raw.agency_projects counted",
                _sum("budget_allocated", f"raw.agency_projects {COUNTED_LINES}"),
                "mart_budget",
                _sum("budget_allocated", "mart_budget"),
            ),
            (
                "disbursed (baht)",
                "raw.agency_projects counted",
                _sum("budget_disbursed", f"raw.agency_projects {COUNTED_LINES}"),
                "mart_budget",
                _sum("budget_disbursed", "mart_budget"),
            ),
        ],
    ),
    reconciliation(
        "villages_reconcile",
        "mart_village",
        [
            (
                "target villages",
                "raw.register_villages",
                _count("raw.register_villages"),
                "mart_village + set aside",
                _plus(_count("mart_village"), _set_aside("register_villages")),
            ),
            (
                "household questionnaires",
                "raw.survey_households",
                _count("raw.survey_households"),
                "fct_household_surveys + set aside",
                _plus(_count("fct_household_surveys"), _set_aside("survey_households")),
            ),
            (
                "household members",
                "raw.survey_members",
                _count("raw.survey_members"),
                "fct_household_members + set aside",
                _plus(_count("fct_household_members"), _set_aside("survey_members")),
            ),
            (
                "questionnaires in target villages",
                "fct_household_surveys",
                _count("fct_household_surveys", TARGET_VILLAGE),
                "mart_village",
                _sum("household_questionnaires", "mart_village"),
            ),
            (
                "plan items",
                "raw.plan_items",
                _count("raw.plan_items"),
                "fct_plan_items + set aside",
                _plus(_count("fct_plan_items"), _set_aside("plan_items")),
            ),
        ],
    ),
    *_ingest_checks(),
]
