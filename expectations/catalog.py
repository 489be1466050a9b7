"""Every Great Expectations check of the pipeline: what it judges, how severe a failure is,
and what it reads from the warehouse. The Dagster asset checks are built from this list, and
docs/quality.md describes each entry (structural rules are dbt tests, not listed here).

A check reads small frames with SQL and hands them to a judge from expectations.targets
or expectations.data_rules, so a test can feed a judge wrong frames without a warehouse. A
rule on each value of a column reads the column's distinct values with their row counts
(``value_counts_sql``), never every row: the frames stay small at tens of millions of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from expectations.completeness import (
    COMPLETENESS_MART,
    check_due_sources_loaded,
    check_every_file_read,
    check_reports_received,
    check_survey_round_coverage,
    check_survey_rounds_received,
    describe_missing_agency_report,
    describe_missing_plan,
    describe_missing_register,
)
from expectations.data_rules import (
    check_control_totals,
    check_dates_in_window,
    check_disbursed_within_allocated,
    check_projects_unique_across_files,
    check_reconciliation,
    check_rows_set_aside,
    check_share_per_file,
    check_values_at_least,
    check_volume_change,
)
from expectations.outcome import CheckOutcome, Severity
from expectations.quality_tables import PIPELINE_RUNS, SOURCE_VOLUMES
from expectations.targets import check_phase_targets, check_province_coverage
from expectations.thresholds import (
    MAX_INVALID_CITIZEN_ID_SHARE_PER_FILE,
    MAX_QUARANTINE_SHARE_PER_FILE,
    MAX_UNEXPLAINED_VOLUME_DROP,
    MIN_SURVEY_ROUND_COVERAGE,
)
from sources.contracts import SourceContract, load_contracts
from sources.raw_tables import CONTROL_TOTALS, LEDGER, LOADED_SQL, QUARANTINE, SHEETS, raw_table
from sources.settings import evaluation_date
from sources.types import AMOUNT_TYPES

Frames = Mapping[str, pd.DataFrame]
COMPLETENESS_ASSET = (COMPLETENESS_MART,)  # the checks of what is due judge this mart
LINEAGE = "source_file_name, source_sheet, source_row_number"
VALUES_OF = "values of "  # the frame of a column's value counts: VALUES_OF + its name
EXACT_TOTAL = "decimal(38,2)"  # a count or a sum of money, compared to the satang


@dataclass(frozen=True)
class QualityCheck:
    name: str
    asset: tuple[str, ...]  # the key of the asset it judges (a dbt model's is schema, name)
    severity: Severity
    description: str
    reads: Mapping[str, str]  # frame name -> SQL on the warehouse
    judge: Callable[[Frames], CheckOutcome]
    # an error about what is missing (a report not received, a file not read) fails the run
    # but does not block publication: what passed is published, saying what is missing
    blocks_publication: bool = True

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


def value_counts_sql(model: str, column: str, located_by_village: bool = True) -> str:
    """A column's distinct values, each with its count of rows and where the first of them
    came from (by file, sheet and row), in the order of those first rows: the value counts
    that expectations.data_rules judges."""
    village = ", 'village_code': village_code" if located_by_village else ""
    first = (
        "min({'source_file_name': source_file_name, 'source_sheet': source_sheet, "
        f"'source_row_number': source_row_number{village}}})"
    )
    return (
        f"select value, rows, first_row.* from (select {column} as value, count(*) as rows, "
        f"{first} as first_row from {model} where {column} is not null group by {column}) "
        "order by first_row"
    )


def value_counts_reads(model: str, columns: list[str], located_by_village: bool = True):
    return {VALUES_OF + c: value_counts_sql(model, c, located_by_village) for c in columns}


def values_of(frames: Frames, columns: list[str]) -> dict[str, pd.DataFrame]:
    return {column: frames[VALUES_OF + column] for column in columns}


def dates_in_plan_period(model: str, columns: list[str]) -> QualityCheck:
    def judge(frames: Frames) -> CheckOutcome:
        start, end = plan_period(frames["plan"])
        return check_dates_in_window(
            values_of(frames, columns), start, end, evaluation_date(), "dates_in_plan_period"
        )

    return QualityCheck(
        name="dates_in_plan_period",
        asset=tuple(model.split(".")),
        severity=Severity.ERROR,
        description=f"{', '.join(columns)} inside the plan period (programme_targets seed) "
        "and not in the future.",
        reads={**value_counts_reads(model, columns), "plan": PLAN_PERIOD_SQL},
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
        reads=value_counts_reads(model, columns),
        judge=lambda frames: check_values_at_least(values_of(frames, columns), 0, name),
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


def every_file_read(kind: str, asset: tuple[str, ...]) -> QualityCheck:
    return QualityCheck(
        name="every_file_read",
        asset=asset,
        severity=Severity.ERROR,
        blocks_publication=False,
        description=f"No {kind} file in the landing folder failed, and every sheet of a loaded "
        "one that holds a table was read ('partial' otherwise): what passed is published, and "
        "the run fails saying what is missing since when.",
        reads={
            "files": "select ledger.file_name, ledger.status, "
            "coalesce(ledger.first_seen_at, ledger.loaded_at) as missing_since, "
            "string_agg(sheets.sheet, ' | ') as sheets_not_read "
            f"from {LEDGER} as ledger left join {SHEETS} as sheets "
            "on sheets.file_sha256 = ledger.file_sha256 and sheets.file_name = ledger.file_name "
            "and sheets.status = 'ignored' and sheets.holds_table "
            f"where ledger.source_kind = '{kind}' and ledger.status in ('failed', 'partial') "
            "group by all order by ledger.file_name"
        },
        judge=lambda frames: check_every_file_read(frames["files"]),
    )


def control_totals_match(contract: SourceContract, asset: tuple[str, ...]) -> QualityCheck:
    """The totals rows of a kind's sheets against the loaded rows in their scope: the count
    they state ('รวม 47 หมู่บ้าน') and the sum of each amount column they show."""
    scope = (
        "r._file_sha256 = t.file_sha256 and r._sheet = t.sheet "
        "and r._row_number between t.scope_first_row and t.scope_last_row"
    )
    quarantined = (
        f"(select count(distinct q.row_number) from {QUARANTINE} q where q.file_sha256 = "
        "t.file_sha256 and q.sheet = t.sheet and q.row_number between t.scope_first_row "
        "and t.scope_last_row)"
    )
    measures = []
    for table in contract.tables:
        totals = (
            f"from {CONTROL_TOTALS} t where t.source_kind = '{contract.kind}' "
            f"and t.table_name = '{table.table}'"
        )
        common = f"t.file_name, t.sheet, t.row_number, t.label, {quarantined} as quarantined"
        counted, measure = "count(*)", "'rows'"
        if "project_name" in table.by_name:  # '12 โครงการ' counts projects, not their lines
            projects = "t.declared_count_of = 'projects'"
            counted = f"case when {projects} then count(distinct r.project_name) else count(*) end"
            measure = f"case when {projects} then 'projects' else 'rows' end"
        measures.append(
            f"select {common}, {measure} as measure, cast(t.declared_count as double) as declared, "
            f"cast((select {counted} from {raw_table(table)} r where {scope}) as double) "
            f"as loaded {totals} and t.declared_count is not null"
        )
        for column in (
            c.name for c in table.columns if c.type in AMOUNT_TYPES and not c.restricted
        ):
            measures.append(
                f"select {common}, '{column}' as measure, "
                f"try_cast((t.declared_amounts ->> '{column}') as double) as declared, "
                f"coalesce((select sum(r.{column}) from {raw_table(table)} r where {scope}), 0) "
                f"as loaded {totals} and (t.declared_amounts ->> '{column}') is not null"
            )
    return QualityCheck(
        name="control_totals_match",
        asset=asset,
        severity=Severity.ERROR,
        blocks_publication=False,
        description=f"Each totals row of a {contract.kind} sheet (its count of rows and "
        "its sums) equals what was loaded from the rows it totals, to the satang.",
        reads={"totals": " union all ".join(measures) + " order by file_name, sheet, row_number"},
        judge=lambda frames: check_control_totals(frames["totals"]),
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
    Counts and money (decimal to the satang) are compared exactly, as decimals."""
    sql = " union all ".join(
        f"select '{measure}' as measure, '{source}' as source, "
        f"cast(({source_sql}) as {EXACT_TOTAL}) as source_value, '{target}' as target, "
        f"cast(({target_sql}) as {EXACT_TOTAL}) as target_value"
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
        checks.append(every_file_read(kind, asset))
        checks.append(control_totals_match(contract, asset))
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


def reports_received(
    name: str,
    kind: str,
    severity: Severity,
    description: str,
    describe: Callable[[pd.Series], str],
) -> QualityCheck:
    """Every report of a kind due by the evaluation date was received; `describe` names a
    missing one. An error here is about what is missing: it does not block publication."""
    return QualityCheck(
        name=name,
        asset=COMPLETENESS_ASSET,
        severity=severity,
        blocks_publication=False,
        description=description,
        reads={"due": _due_reports_sql(kind)},
        judge=lambda frames: check_reports_received(frames["due"], name, describe),
    )


def _due_reports_sql(kind: str) -> str:
    """The reports of a kind due by the evaluation date, with the names a message needs."""
    return (
        "select reports.*, provinces.province_name_th, villages.village_name_th "
        "from fct_expected_reports as reports "
        "left join reference.programme_provinces as provinces using (province_code) "
        "left join mart_village as villages using (village_code) "
        f"where reports.is_due and reports.source_kind = '{kind}' "
        "order by reports.province_code, reports.village_code, reports.agency_name, "
        "reports.fiscal_year_be"
    )


CALENDAR = "intermediate.int_reporting_calendar"
DUE_SOURCES_SQL = (
    "with due as (select source_kind, count(*) filter (where is_due) as reports_due, "
    "min(due_date) filter (where is_due) as first_due_date, string_agg(report, '; ' "
    f"order by due_date, report) filter (where is_due) as reports from {CALENDAR} "
    "group by source_kind), "
    f"loaded as (select source_kind, sum(rows_loaded) as rows_loaded from {LEDGER} "
    f"where {LOADED_SQL} group by source_kind) "
    "select due.*, loaded.rows_loaded from due left join loaded using (source_kind) "
    "order by source_kind"
)
# every survey round due by the calendar, with the villages its phase has in the register
SURVEY_ROUNDS_DUE_SQL = (
    "with villages as (select reports.phase, reports.survey_round, count(*) as "
    "villages_expected, count(*) filter (where reports.is_received) as villages_received, "
    "list(reports.village_code || ' ' || mart.village_name_th order by reports.village_code) "
    "filter (where not reports.is_received) as villages_missing from fct_expected_reports "
    "as reports left join mart_village as mart using (village_code) where "
    "reports.source_kind = 'survey' group by all) "
    "select calendar.phase, calendar.survey_round, calendar.report, calendar.due_date, "
    "coalesce(villages.villages_expected, 0) as villages_expected, "
    "coalesce(villages.villages_received, 0) as villages_received, "
    "coalesce(villages.villages_missing, []) as villages_missing "
    f"from {CALENDAR} as calendar left join villages using (phase, survey_round) "
    "where calendar.source_kind = 'survey' and calendar.is_due "
    "order by calendar.phase, calendar.survey_round"
)
# rows loaded per kind now and at the previous successful run, and files replaced since
SOURCE_VOLUMES_SQL = (
    f"with previous as (select run_id, started_at from {PIPELINE_RUNS} where status = "
    "'success' order by started_at desc limit 1), "
    f"current_rows as (select source_kind, sum(rows_loaded) as current_rows from {LEDGER} "
    f"where {LOADED_SQL} group by source_kind), "
    "previous_rows as (select source_kind, rows_loaded as previous_rows from "
    f"{SOURCE_VOLUMES} where run_id in (select run_id from previous)), "
    "replaced as (select source_kind, count(*) as files_replaced from "
    f"{LEDGER} as newer where {LOADED_SQL} and loaded_at > (select started_at from previous) "
    f"and exists (select 1 from {LEDGER} as older where older.status = 'replaced' and "
    "older.file_name = newer.file_name and older.source_kind = newer.source_kind) "
    "group by source_kind) "
    "select source_kind, previous_rows, coalesce(current_rows, 0) as current_rows, "
    "coalesce(files_replaced, 0) as files_replaced from previous_rows "
    "full join current_rows using (source_kind) left join replaced using (source_kind) "
    "order by source_kind"
)
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
        name="due_sources_loaded",
        asset=COMPLETENESS_ASSET,
        severity=Severity.ERROR,
        blocks_publication=False,
        description="Every source kind with reports due by the evaluation date (the "
        "reporting_calendar seed) has rows loaded.",
        reads={"kinds": DUE_SOURCES_SQL},
        judge=lambda frames: check_due_sources_loaded(frames["kinds"]),
    ),
    reports_received(
        "registers_received",
        "register",
        Severity.ERROR,
        "Every programme province's target village register, due by the evaluation date, is in "
        "the warehouse.",
        describe_missing_register,
    ),
    QualityCheck(
        name="survey_rounds_received",
        asset=COMPLETENESS_ASSET,
        severity=Severity.ERROR,
        blocks_publication=False,
        description="Every survey round due by the evaluation date has households, in each phase.",
        reads={"rounds": SURVEY_ROUNDS_DUE_SQL},
        judge=lambda frames: check_survey_rounds_received(frames["rounds"]),
    ),
    QualityCheck(
        name="survey_round_coverage",
        asset=COMPLETENESS_ASSET,
        severity=Severity.WARN,
        description="Each survey round due reached "
        f"{MIN_SURVEY_ROUND_COVERAGE:.0%} of the villages of its phase.",
        reads={"rounds": SURVEY_ROUNDS_DUE_SQL},
        judge=lambda frames: check_survey_round_coverage(frames["rounds"]),
    ),
    reports_received(
        "agency_reports_received",
        "agency",
        Severity.WARN,
        "Every projects and budget report due from a reporting agency (reporting_agencies seed), "
        "per province and fiscal year, was received.",
        describe_missing_agency_report,
    ),
    reports_received(
        "village_plans_received",
        "plans",
        Severity.WARN,
        "Every village plan due by the evaluation date was received.",
        describe_missing_plan,
    ),
    QualityCheck(
        name="source_volumes_steady",
        asset=COMPLETENESS_ASSET,
        severity=Severity.WARN,
        description="No source kind lost more than "
        f"{MAX_UNEXPLAINED_VOLUME_DROP:.0%} of its loaded rows since the previous successful "
        "run without a replaced file to explain it.",
        reads={"volumes": SOURCE_VOLUMES_SQL},
        judge=lambda frames: check_volume_change(frames["volumes"], MAX_UNEXPLAINED_VOLUME_DROP),
    ),
    QualityCheck(
        name="orphan_rows_counted",
        asset=("fct_excluded_rows",),
        severity=Severity.WARN,
        description="Orphans, rows loaded but related to nothing the warehouse counts (members "
        "without their household, households, budget and plan lines outside the target "
        "villages), are none or counted per reason (copies of a row are not orphans).",
        reads={
            "set_aside": "select table_name, split_part(reason, ':', 1) as reason, "
            "count(*) as rows from fct_excluded_rows where reason not like 'duplicate%' "
            "group by all order by all"
        },
        judge=lambda frames: check_rows_set_aside(frames["set_aside"]),
    ),
    QualityCheck(
        name="members_at_least_one",
        asset=("staging", "stg_survey__households"),
        severity=Severity.ERROR,
        description="A household has at least one member.",
        reads=value_counts_reads("staging.stg_survey__households", ["members_count"]),
        judge=lambda frames: check_values_at_least(
            values_of(frames, ["members_count"]), 1, "members_at_least_one"
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
        reads=value_counts_reads(
            "staging.stg_survey__members", ["birth_date"], located_by_village=False
        ),
        judge=lambda frames: check_dates_in_window(
            values_of(frames, ["birth_date"]), None, None, evaluation_date(), "birth_dates"
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
