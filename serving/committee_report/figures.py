"""The committee report's figures, read from the publication only (``data/published/``: the
published DuckDB file and its manifest), never from the warehouse: each function reads one
table of the report from the marts.

Figures the marts do not hold are derived here and named as such: totals and rates of sums
(budget by agency, category, fiscal year), medians across villages (income, BMN line), a
village's traffic light (``status.py``) and sums of drug counts over the villages whose counts
the publication shows (a suppressed count is never added, so nothing derived reveals one)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import duckdb
import yaml

from serving.committee_report.status import LIGHT_LABELS, LIGHTS, village_status
from serving.committee_report.tables import Column, Report, ReportMeta, Section, Table
from serving.committee_report.thai import BANGKOK, SUPPRESSED, thai_date
from serving.publication import READER, PublishedPaths, read_manifest
from sources.settings import REPO_ROOT

DBT_PROJECT_FILE = REPO_ROOT / "dbt_project" / "dbt_project.yml"
ALL_PHASES = "ทุกระยะ / all phases"
ALL_PROVINCES = "ทุกจังหวัด / all provinces"
TOTAL = "รวม / total"
LEVELS = {
    "village": ("หมู่บ้าน", "villages"),
    "subdistrict": ("ตำบล", "subdistricts"),
    "district": ("อำเภอ", "districts"),
    "province": ("จังหวัด", "provinces"),
}
SOURCE_KINDS = {
    "register": ("ทะเบียนหมู่บ้านเป้าหมาย", "target village register"),
    "survey": ("แบบสำรวจครัวเรือน", "household survey rounds"),
    "plans": ("แผนพัฒนาหมู่บ้าน", "village development plans"),
    "agency": ("รายงานโครงการและงบประมาณของหน่วยงาน", "agency project and budget reports"),
}
DRUG_ITEMS = {
    "drug_use": ("ครัวเรือนที่มีผู้ใช้ยาเสพติด", "households with drug use"),
    "drug_treatment": ("ครัวเรือนที่มีผู้เข้ารับการบำบัด", "households with treatment"),
    "drug_arrest": ("ครัวเรือนที่มีผู้ถูกจับกุม", "households with an arrest"),
}


class ReportDataError(RuntimeError):
    """The publication cannot give the report (nothing published, a mart missing)."""


def suppression_k(project_file: Path = DBT_PROJECT_FILE) -> int:
    """The small-cell threshold the marts were built with: the dbt var ``suppression_k``,
    the one place it is set."""
    return int(yaml.safe_load(project_file.read_text(encoding="utf-8"))["vars"]["suppression_k"])


def sum_shown(counts: Iterable[tuple[int | None, bool]]) -> int | None:
    """The sum of the counts the publication shows, given (count, is_suppressed) pairs; None
    when every one is suppressed. A suppressed count is never added, even if present, so the
    sum cannot be differenced back into one."""
    shown = [count for count, suppressed in counts if not suppressed and count is not None]
    return sum(shown) if shown else None


def _records(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    relation = connection.sql(sql)
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def _bilingual(th: str | None, en: str | None) -> str | None:
    return th if not en else f"{th} ({en})" if th else en


def _phase_label(phase: int | None) -> str:
    return ALL_PHASES if phase is None else f"ระยะที่ {phase}"


def _province_label(row: dict) -> str:
    if row["province_code"] is None:
        return ALL_PROVINCES
    return _bilingual(row["province_name_th"], row["province_name_en"]) or row["province_code"]


def targets_table(connection: duckdb.DuckDBPyConnection) -> Table:
    phases = _records(connection, "select * from mart_phase order by phase")
    rows = []
    for phase in phases:
        for level, (th, en) in LEVELS.items():
            target, actual = phase[f"target_{level}s"], phase[f"actual_{level}s"]
            rows.append(
                {
                    "phase": phase["phase"],
                    "level": level,
                    "phase_label": _phase_label(phase["phase"]),
                    "level_label": f"{th} ({en})",
                    "target": target,
                    "actual": actual,
                    "achieved": actual / target if target else None,
                }
            )
    return Table(
        key="targets",
        sheet="เป้าหมาย",
        th="ผลการดำเนินงานเทียบเป้าหมาย",
        en="Reached against the targets",
        columns=(
            Column("phase_label", "ระยะ", "phase", width=12),
            Column("level_label", "ระดับ", "level", width=22),
            Column("target", "เป้าหมาย", "target", "count", 10),
            Column("actual", "ผล (ตามทะเบียน)", "reached (register)", "count", 16),
            Column("achieved", "ร้อยละของเป้าหมาย", "% of target", "share", 16),
        ),
        rows=rows,
        row_key=("phase", "level"),
        note="เป้าหมายจากแผนปฏิบัติการ (programme_targets) / targets from the action plan",
    )


PROGRESS_COLUMNS = (
    Column("phase_label", "ระยะ", "phase", width=14),
    Column("province_label", "จังหวัด", "province", width=26),
    Column("villages", "หมู่บ้าน", "villages", "count", 10),
    Column("subdistricts", "ตำบล", "subdistricts", "count", 10),
    Column("districts", "อำเภอ", "districts", "count", 10),
    Column("share_villages_surveyed", "สำรวจข้อมูลแล้ว", "surveyed", "share", 14),
    Column("share_villages_with_plan", "มีแผนพัฒนาหมู่บ้าน", "with a plan", "share", 16),
    Column(
        "share_villages_with_funded_project",
        "มีโครงการได้รับงบประมาณ",
        "with a funded project",
        "share",
        18,
    ),
)


def progress_table(connection: duckdb.DuckDBPyConnection) -> Table:
    """Per phase and province (mart_phase_province), then each phase as a whole (mart_phase)."""
    provinces = _records(
        connection, "select * from mart_phase_province order by phase, province_code"
    )
    phases = _records(
        connection,
        "select phase, null as province_code, actual_villages as villages, "
        "actual_subdistricts as subdistricts, actual_districts as districts, "
        "share_villages_surveyed, share_villages_with_plan, share_villages_with_funded_project "
        "from mart_phase order by phase",
    )
    rows = []
    for phase in phases:
        for row in [p for p in provinces if p["phase"] == phase["phase"]] + [phase]:
            rows.append(
                {
                    **row,
                    "phase_label": _phase_label(row["phase"]),
                    "province_label": _province_label(row),
                }
            )
    return Table(
        key="progress",
        sheet="ความก้าวหน้า",
        th="ความก้าวหน้ารายจังหวัด",
        en="Progress by phase and province",
        columns=PROGRESS_COLUMNS,
        rows=rows,
        row_key=("phase", "province_code"),
        note="สัดส่วนของหมู่บ้านเป้าหมาย / shares of the target villages",
    )


def village_rows(connection: duckdb.DuckDBPyConnection) -> list[dict]:
    villages = _records(
        connection,
        "select village_code, phase, village_name_th, moo_no, subdistrict_name_th, "
        "district_name_th, province_code, province_name_th, province_name_en, reporting_status, "
        "missing_reports, is_surveyed, has_plan, has_funded_project, disbursement_rate "
        "from mart_village order by province_code, district_name_th, village_code",
    )
    for village in villages:
        status = village_status(village)
        village["light"] = status.light
        village["light_label"] = "{} ({})".format(*LIGHT_LABELS[status.light])
        village["reasons"] = "; ".join(status.reasons)
        village["place"] = " / ".join(
            filter(None, [village["subdistrict_name_th"], village["district_name_th"]])
        )
    return villages


def status_counts_table(villages: list[dict]) -> Table:
    rows = []
    for phase in [*sorted({v["phase"] for v in villages}), None]:
        chosen = [v for v in villages if phase is None or v["phase"] == phase]
        row = {"phase": phase, "phase_label": _phase_label(phase), "villages": len(chosen)}
        row |= {light: sum(v["light"] == light for v in chosen) for light in LIGHTS}
        rows.append(row)
    return Table(
        key="village_status",
        sheet="สถานะหมู่บ้าน",
        th="สถานะหมู่บ้านเป้าหมาย",
        en="Target villages by status",
        columns=(
            Column("phase_label", "ระยะ", "phase", width=16),
            Column("villages", "หมู่บ้าน", "villages", "count", 10),
            *(Column(light, th, en, "count", 10) for light, (th, en) in LIGHT_LABELS.items()),
        ),
        rows=rows,
        row_key=("phase",),
    )


def behind_table(villages: list[dict]) -> Table:
    behind = [v for v in villages if v["light"] != "green"]
    behind.sort(key=lambda v: LIGHTS.index(v["light"]))  # stable: by place within a light
    return Table(
        key="villages_behind",
        sheet="หมู่บ้านล่าช้า",
        th="หมู่บ้านที่ล่าช้ากว่าแผน",
        en="Villages behind",
        columns=(
            Column("light_label", "สถานะ", "status", width=14),
            Column("village_code", "รหัสหมู่บ้าน", "village code", width=12),
            Column("village_name_th", "หมู่บ้าน", "village", width=22),
            Column("place", "ตำบล / อำเภอ", "subdistrict / district", width=28),
            Column("province_name_th", "จังหวัด", "province", width=12),
            Column("phase", "ระยะ", "phase", "year", 6),
            Column("reasons", "เหตุผล", "reasons", width=60),
        ),
        rows=behind,
        row_key=("village_code",),
        note="แดง: ขาดส่งรายงาน ยังไม่สำรวจ หรือไม่มีโครงการที่ได้รับงบ; เหลือง: ส่งล่าช้า "
        "ไม่มีแผน หรือเบิกจ่ายต่ำ / red: a report missing, no survey or no funded project; "
        "amber: late, no plan or low disbursement",
    )


BUDGET_FIGURES = (
    Column("budget_allocated", "งบประมาณที่ได้รับจัดสรร (บาท)", "allocated (baht)", "money", 20),
    Column("budget_disbursed", "ผลการเบิกจ่าย (บาท)", "disbursed (baht)", "money", 20),
    Column("disbursement_rate", "อัตราการเบิกจ่าย", "disbursement rate", "share", 14),
)
BUDGET_SUMS = (
    "sum(budget_allocated) as budget_allocated, sum(budget_disbursed) as budget_disbursed, "
    "sum(budget_disbursed) / nullif(sum(budget_allocated), 0) as disbursement_rate"
)


def budget_table(
    connection: duckdb.DuckDBPyConnection,
    by: str,
    column: Column,
    key: str,
    sheet: str,
    th: str,
    en: str,
) -> Table:
    rows = _records(
        connection,
        f"select {by} as {column.key}, {BUDGET_SUMS} from mart_budget group by all "
        f"order by {'1' if by == 'fiscal_year_be' else 'budget_allocated desc, 1'}",
    )
    (total,) = _records(
        connection, f"select {TOTAL!r} as {column.key}, {BUDGET_SUMS} from mart_budget"
    )
    return Table(key, sheet, th, en, (column, *BUDGET_FIGURES), rows, (column.key,), total=total)


def budget_tables(connection: duckdb.DuckDBPyConnection) -> tuple[Table, ...]:
    return (
        budget_table(
            connection,
            "fiscal_year_be",
            Column("fiscal_year_be", "ปีงบประมาณ (พ.ศ.)", "fiscal year (B.E.)", "year", 14),
            "budget_by_year",
            "งบรายปี",
            "งบประมาณรายปีงบประมาณ",
            "Budget by fiscal year",
        ),
        budget_table(
            connection,
            "agency_name",
            Column("agency_name", "หน่วยงาน", "agency", width=40),
            "budget_by_agency",
            "งบรายหน่วยงาน",
            "งบประมาณรายหน่วยงาน",
            "Budget by agency",
        ),
        budget_table(
            connection,
            "category",
            Column("category", "ประเภทโครงการ", "category", width=24),
            "budget_by_category",
            "งบรายประเภทโครงการ",
            "งบประมาณรายประเภทโครงการ",
            "Budget by category",
        ),
    )


def income_table(connection: duckdb.DuckDBPyConnection) -> Table:
    """Medians across the villages surveyed in two rounds or more."""
    rows = _records(
        connection,
        "select phase, province_code, any_value(province_name_th) as province_name_th, "
        "any_value(province_name_en) as province_name_en, count(*) as villages, "
        "median(baseline_income_per_person) as baseline_income, "
        "median(latest_income_per_person) as latest_income, "
        "median(income_per_person_change) as income_change, "
        "median(baseline_share_below_bmn_line) as baseline_below_bmn, "
        "median(latest_share_below_bmn_line) as latest_below_bmn, "
        "median(share_below_bmn_line_change) as below_bmn_change "
        "from mart_village where latest_survey_round > 1 "
        "group by grouping sets ((phase, province_code), (phase), ()) "
        "order by phase nulls last, province_code nulls last",
    )
    for row in rows:
        row["phase_label"] = _phase_label(row["phase"])
        row["province_label"] = _province_label(row)
    return Table(
        key="income",
        sheet="รายได้และ จปฐ",
        th="รายได้และสัดส่วนครัวเรือนต่ำกว่าเกณฑ์ จปฐ. (ข้อมูลพื้นฐาน เทียบรอบล่าสุด)",
        en="Income per person and share below the BMN line, baseline to latest round",
        columns=(
            Column("phase_label", "ระยะ", "phase", width=16),
            Column("province_label", "จังหวัด", "province", width=26),
            Column("villages", "หมู่บ้าน", "villages", "count", 10),
            Column("baseline_income", "รายได้/คน/ปี ข้อมูลพื้นฐาน", "income, baseline", "money", 16),
            Column("latest_income", "รายได้/คน/ปี รอบล่าสุด", "income, latest", "money", 16),
            Column("income_change", "การเปลี่ยนแปลง (บาท)", "change (baht)", "change_money", 16),
            Column("baseline_below_bmn", "ต่ำกว่าเกณฑ์ ข้อมูลพื้นฐาน", "below BMN, baseline", "share", 16),
            Column("latest_below_bmn", "ต่ำกว่าเกณฑ์ รอบล่าสุด", "below BMN, latest", "share", 16),
            Column(
                "below_bmn_change",
                "การเปลี่ยนแปลง (จุดร้อยละ)",
                "change (percentage points)",
                "change_points",
                16,
            ),
        ),
        rows=rows,
        row_key=("phase", "province_code"),
        note="ค่ามัธยฐานของหมู่บ้านที่สำรวจแล้วอย่างน้อย 2 รอบ (บาทต่อคนต่อปี) / medians across the "
        "villages surveyed in two rounds or more (baht per person per year)",
    )


def completeness_table(connection: duckdb.DuckDBPyConnection) -> Table:
    rows = _records(
        connection,
        "select rollup_level, source_kind, province_code, province_name_th, "
        "null as province_name_en, reports_expected, reports_received, reports_on_time, "
        "reports_late, reports_missing, reports_not_yet_due, reporting_rate, on_time_rate, "
        "missing_since from mart_reporting_completeness "
        "where rollup_level in ('programme', 'province') "
        "order by rollup_level desc, province_code, source_kind",
    )
    for row in rows:
        th, en = SOURCE_KINDS.get(row["source_kind"], (row["source_kind"], None))
        row["kind_label"] = _bilingual(th, en)
        row["area_label"] = _province_label(row)
    return Table(
        key="completeness",
        sheet="ความครบถ้วน",
        th="ความครบถ้วนของการรายงาน",
        en="Reporting completeness",
        columns=(
            Column("area_label", "พื้นที่", "area", width=22),
            Column("kind_label", "รายงาน", "report", width=34),
            Column("reports_expected", "ถึงกำหนด", "due", "count", 10),
            Column("reports_received", "ได้รับ", "received", "count", 10),
            Column("reports_on_time", "ตรงเวลา", "on time", "count", 10),
            Column("reports_late", "ล่าช้า", "late", "count", 10),
            Column("reports_missing", "ยังไม่ได้รับ", "missing", "count", 10),
            Column("reporting_rate", "อัตราการรายงาน", "reporting rate", "share", 14),
            Column("on_time_rate", "ตรงเวลา (ร้อยละ)", "on-time rate", "share", 14),
            Column("missing_since", "ขาดส่งตั้งแต่", "missing since", "date", 14),
        ),
        rows=rows,
        row_key=("source_kind", "province_code"),
        note="รายงานที่ถึงกำหนดตามปฏิทินการรายงาน ณ วันประเมิน / reports due by the evaluation "
        "date in the reporting calendar (rates as DHIS2 defines them)",
    )


def files_not_read_table(connection: duckdb.DuckDBPyConnection) -> Table:
    rows = _records(
        connection,
        "select source_kind, file_name, status, missing_since, sheet_names_not_read "
        "from mart_files_not_read order by source_kind, file_name",
    )
    return Table(
        key="files_not_read",
        sheet="ไฟล์ที่อ่านไม่ได้",
        th="ไฟล์ที่อ่านไม่ได้หรืออ่านได้ไม่ครบ",
        en="Files not read or partly read",
        columns=(
            Column("source_kind", "ประเภทข้อมูล", "source", width=12),
            Column("file_name", "ชื่อไฟล์", "file", width=50),
            Column("status", "สถานะ", "status", width=10),
            Column("missing_since", "ขาดข้อมูลตั้งแต่", "missing since", "date", 14),
            Column("sheet_names_not_read", "แผ่นงานที่ไม่ได้อ่าน", "sheets not read", width=30),
        ),
        rows=rows,
        row_key=("file_name",),
    )


def drug_table(connection: duckdb.DuckDBPyConnection) -> Table:
    """Per province: households answering, and each drug count summed over the villages whose
    count the publication shows (``sum_shown``), with how many villages' counts are hidden."""
    villages = _records(
        connection,
        "select v.province_code, v.province_name_th, v.province_name_en, d.* "
        "from mart_village_drug_situation d join mart_village v using (village_code) "
        "order by v.province_code",
    )
    groups: dict[str | None, list[dict]] = {}
    for village in villages:
        groups.setdefault(village["province_code"], []).append(village)
    rows = []
    for code, members in [*groups.items(), (None, villages)]:
        row = {
            "province_code": code,
            "province_name_th": members[0]["province_name_th"] if code else None,
            "province_name_en": members[0]["province_name_en"] if code else None,
            "villages": len(members),
            "households_answered": sum(v["households_answered"] or 0 for v in members),
        }
        for item in DRUG_ITEMS:
            flags = [(v[f"households_with_{item}"], v[f"is_{item}_suppressed"]) for v in members]
            row[item] = sum_shown(flags)
            row[f"{item}_hidden"] = sum(suppressed for _, suppressed in flags)
        row["province_label"] = _province_label(row)
        rows.append(row)
    columns = [
        Column("province_label", "จังหวัด", "province", width=26),
        Column("villages", "หมู่บ้าน", "villages", "count", 10),
        Column("households_answered", "ครัวเรือนที่ตอบ", "households answering", "count", 14),
    ]
    for item, (th, en) in DRUG_ITEMS.items():
        columns.append(Column(item, th, en, "suppressible", 18))
        columns.append(Column(f"{item}_hidden", "หมู่บ้านที่ปกปิด", "villages hidden", "count", 12))
    return Table(
        key="drug_situation",
        sheet="ยาเสพติด",
        th="สถานการณ์ยาเสพติด (รอบสำรวจล่าสุด)",
        en="Drug situation, latest survey round",
        columns=tuple(columns),
        rows=rows,
        row_key=("province_code",),
        note=f"{SUPPRESSED}: ทุกหมู่บ้านในพื้นที่ถูกปกปิด; ตัวเลขเป็นผลรวมเฉพาะหมู่บ้านที่เปิดเผยได้ / "
        "suppressed in every village of the area; figures add up the villages shown only",
    )


def report_date(manifest: dict) -> date:
    """The date the report is of: the publication's evaluation date, else the day (in
    Bangkok) it was published."""
    completeness = manifest.get("completeness") or {}
    if completeness.get("as_of"):
        return date.fromisoformat(str(completeness["as_of"])[:10])
    published = datetime.fromisoformat(manifest["published_at"])
    return published.astimezone(BANGKOK).date()


def read_report(paths: PublishedPaths) -> Report:
    """Every table of the report from the publication; charts and the comparison with the
    previous report are added by the caller."""
    manifest = read_manifest(paths)
    if manifest is None:
        raise ReportDataError(f"nothing is published in {paths.folder} yet: run make run")
    k = suppression_k()
    missing = sum(
        (source.get("reports_missing") or 0)
        for source in ((manifest.get("completeness") or {}).get("sources") or {}).values()
    )
    meta = ReportMeta(
        as_of=report_date(manifest),
        published_at=manifest["published_at"],
        pipeline_run_id=manifest["pipeline_run_id"],
        complete=missing == 0,
        suppression_k=k,
    )
    with duckdb.connect(str(paths.database), read_only=True, config=READER) as connection:
        tables = {row[0] for row in connection.execute("show tables").fetchall()}
        wanted = {
            "mart_phase",
            "mart_phase_province",
            "mart_village",
            "mart_budget",
            "mart_reporting_completeness",
            "mart_files_not_read",
            "mart_village_drug_situation",
        }
        if wanted - tables:
            raise ReportDataError(
                f"the publication in {paths.folder} lacks {', '.join(sorted(wanted - tables))}"
            )
        villages = village_rows(connection)
        report = Report(meta)
        report.sections = [
            Section(
                "progress",
                "ความก้าวหน้าเทียบเป้าหมาย",
                "Progress against the targets",
                tables=(targets_table(connection), progress_table(connection)),
            ),
            Section(
                "behind",
                "หมู่บ้านที่ล่าช้ากว่าแผน",
                "Villages behind",
                tables=(status_counts_table(villages), behind_table(villages)),
            ),
            Section(
                "budget",
                "งบประมาณ: จัดสรรและเบิกจ่าย",
                "Budget allocated and disbursed",
                tables=budget_tables(connection),
            ),
            Section(
                "income",
                "รายได้และความยากจน",
                "Income and the BMN poverty line",
                tables=(income_table(connection),),
            ),
            Section(
                "completeness",
                "ความครบถ้วนของข้อมูล",
                "Reporting completeness",
                tables=(completeness_table(connection), files_not_read_table(connection)),
            ),
            Section(
                "notes",
                "หมายเหตุคุณภาพข้อมูลและการปกปิดข้อมูล",
                "Data-quality and suppression notes",
                paragraphs=_quality_notes(manifest, k),
                tables=(drug_table(connection),),
            ),
        ]
    return report


def _quality_notes(manifest: dict, k: int) -> tuple[str, ...]:
    checks = manifest.get("checks") or {}
    counts = checks.get("counts") or {}
    lines = [
        f"การตรวจสอบคุณภาพข้อมูลของรอบนี้ / this run's data-quality checks: ผ่าน (passed) "
        f"{counts.get('passed', 0):,}, ไม่ผ่านระดับ error {counts.get('failed (error)', 0):,}, "
        f"ไม่ผ่านระดับเตือน (warn) {counts.get('failed (warn)', 0):,}, "
        f"ไม่ได้ตรวจ (not run) {counts.get('not run', 0):,}."
    ]
    for outcome in ("failed (error)", "failed (warn)", "not run"):
        if checks.get(outcome):
            lines.append(f"{outcome}: {', '.join(checks[outcome])}")
    lines.append(
        f"การปกปิดข้อมูล / suppression: จำนวนครัวเรือนที่เกี่ยวกับยาเสพติดที่น้อยกว่า {k} "
        f"และส่วนเติมเต็มที่น้อยกว่า {k} ถูกปกปิด ({SUPPRESSED}) ตาม พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล "
        f"มาตรา 26 / drug-related household counts below {k}, and counts whose complement is "
        f"below {k}, are hidden (PDPA s.26); the report adds up only the counts shown."
    )
    published = datetime.fromisoformat(manifest["published_at"]).astimezone(BANGKOK)
    lines.append(
        f"ข้อมูลจากการเผยแพร่เมื่อ {thai_date(published.date())} "
        f"(pipeline run {manifest['pipeline_run_id']}) / figures from the publication of that "
        "day; source: data/published (marts only)."
    )
    return tuple(lines)
