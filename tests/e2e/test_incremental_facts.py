"""The incremental facts give what a full refresh gives. The sample's landing files arrive in
batches into one temporary DuckDB warehouse, each followed by a plain `dbt build` (the first
creates the tables, the others are incremental); then a copy of the warehouse is rebuilt with
`dbt build --full-refresh`, and every table of the marts and of the intermediate layer must
hold the same rows in both, row for row (EXCEPT ALL both ways; `rebuilt_at`, when a partition
was last rebuilt, is the one column that may differ). The batches:

1. the register, most agency and plan files, the Kobo export and the ODK 2564 households
   (without their members file);
2. the rest of the sample: the members of households loaded before, the next round, the
   agency file sent twice (a duplicate now), the other plans;
3. a re-export of part of the 2564 round under a name that sorts first (its copies now count,
   with other values; a few name a village outside the register, so that none of their
   copies counts any more), a new version of the 2565 round (a replaced file: its old rows
   leave, and households dropped from it take their counted members with them), and an
   agency renamed in the name variants seed (a rule of every budget line and plan item:
   those are rebuilt); compared with a full refresh;
4. nothing new: the build rebuilds no partition, and still equals the full refresh;
5. a changed BMN income line, a rule of every household: the survey facts are rebuilt;
   compared with a full refresh.
"""

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration.dbt_project import DBT_EXECUTABLE
from sources.contracts import load_contracts
from sources.geography import geography_tables
from sources.ingest import ingest_folder
from sources.programme_seeds import programme_province_codes
from sources.resolve import GeographyResolver
from sources.settings import REPO_ROOT, SAMPLE_LANDING_DIR

AS_OF = '{"as_of": "2026-12-01"}'
FIRST_BATCH = (
    "register/*",
    "agency/*2563-2565.csv",
    "agency/สำนักงานเกษตรจังหวัดเชียงใหม่_โครงการร้อยใจรักษ์_2563-2565.xlsx",
    "plans/*ระยะที่1*",
    "survey/roijai_household_survey_kobo_export.xlsx",
    "survey/roijai_followup_2564_odk.csv",
)
# a moo number no register village has: the village exists nowhere in the register
OUTSIDE_THE_REGISTER_MOO = "99"
NOT_COMPARED = {"rebuilt_at"}
INCREMENTAL_MODELS = {
    ("intermediate", "int_household_surveys"),
    ("intermediate", "int_household_members"),
    ("main", "fct_household_surveys"),
    ("main", "fct_household_members"),
    ("main", "fct_budget_lines"),
    ("main", "fct_plan_items"),
}


class Warehouse:
    """A DuckDB file, its landing folder and a copy of the dbt project building it."""

    def __init__(self, root: Path):
        self.root = root
        self.landing = root / "landing"
        self.path = root / "warehouse.duckdb"
        self.full_refresh_path = root / "full_refresh.duckdb"
        # one copy of the project per warehouse file, so that each keeps its partial parse
        self.projects = {
            path: root / f"dbt_project_{path.stem}" for path in (self.path, self.full_refresh_path)
        }
        for project in self.projects.values():
            shutil.copytree(
                REPO_ROOT / "dbt_project",
                project,
                ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"),
            )
        for kind in ("register", "survey", "agency", "plans"):
            (self.landing / kind).mkdir(parents=True)
        province_codes = programme_province_codes()
        self.resolver = GeographyResolver(province_codes)
        with duckdb.connect(str(self.path)) as connection:
            connection.execute("create schema reference")
            for name, frame in geography_tables(province_codes).items():
                connection.register("incoming_rows", frame)
                connection.execute(f"create table reference.{name} as select * from incoming_rows")
                connection.unregister("incoming_rows")

    def land(self, *patterns: str) -> None:
        for pattern in patterns:
            for path in SAMPLE_LANDING_DIR.glob(pattern):
                shutil.copy2(path, self.landing / path.relative_to(SAMPLE_LANDING_DIR))

    def ingest(self) -> None:
        with duckdb.connect(str(self.path)) as connection:
            for contract in load_contracts().values():
                ingest_folder(connection, self.landing, contract, b"test-key", self.resolver)

    def dbt_build(self, *args: str, path: Path | None = None) -> None:
        path = path or self.path
        project = self.projects[path]
        env = dict(os.environ) | {"ROIJAI_DUCKDB_PATH": str(path)}
        dirs = ["--project-dir", str(project), "--profiles-dir", str(project)]
        only_models = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
        built = subprocess.run(
            [str(DBT_EXECUTABLE), "build", *dirs, "--vars", AS_OF, *only_models, *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-2000:]

    def full_refresh(self) -> Path:
        """A copy of the warehouse as it is, rebuilt with --full-refresh."""
        shutil.copyfile(self.path, self.full_refresh_path)
        self.dbt_build("--full-refresh", path=self.full_refresh_path)
        return self.full_refresh_path

    def change_seed(self, name: str, change) -> None:
        """Pass the seed's lines (its header first) through change, in both projects."""
        for project in self.projects.values():
            seed = project / "seeds" / f"{name}.csv"
            lines = change(seed.read_text(encoding="utf-8").splitlines())
            seed.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def rows(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.execute(sql).fetchall()


def differences(incremental: Path, full_refresh: Path) -> dict[str, tuple[int, int, int]]:
    """Per table of the marts and the intermediate layer that differs: (rows, rows only in the
    incremental build, rows only in the full refresh)."""
    found = {}
    with duckdb.connect(str(incremental), read_only=True) as connection:
        connection.execute(f"attach '{full_refresh}' as full_refresh (read_only)")
        tables = connection.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name in ('main', 'intermediate') "
            "order by all"
        ).fetchall()
        assert {(schema, table) for schema, table in tables} >= INCREMENTAL_MODELS, tables
        for schema, table in tables:
            columns = [
                name
                for (name,) in connection.execute(
                    "select column_name from duckdb_columns() where database_name = "
                    "current_database() and schema_name = ? and table_name = ? "
                    "order by column_index",
                    [schema, table],
                ).fetchall()
                if name not in NOT_COMPARED
            ]
            ours = f"select {', '.join(columns)} from {schema}.{table}"
            theirs = f"select {', '.join(columns)} from full_refresh.{schema}.{table}"
            (rows,) = connection.execute(f"select count(*) from {schema}.{table}").fetchone()
            (only_ours,) = connection.execute(
                f"select count(*) from ({ours} except all {theirs})"
            ).fetchone()
            (only_theirs,) = connection.execute(
                f"select count(*) from ({theirs} except all {ours})"
            ).fetchone()
            if only_ours or only_theirs:
                found[f"{schema}.{table}"] = (rows, only_ours, only_theirs)
    return found


def rewrite_csv(source: Path, target: Path, change) -> None:
    """Write target from source's rows, each passed through change(number, row) (None drops it)."""
    with source.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for number, row in enumerate(rows):
        changed = change(number, dict(zip(header, row, strict=True)))
        if changed is not None:
            writer.writerow([changed[column] for column in header])
    target.write_text(out.getvalue(), encoding="utf-8")


def land_superseding_files(warehouse: Warehouse) -> None:
    """A re-export of part of the 2564 round that sorts before it (other incomes; five of its
    households in a village outside the register), and a new version of the 2565 round."""
    survey = SAMPLE_LANDING_DIR / "survey"

    def reexport(number, row):
        if number >= 300:
            return None
        row["income-income_agriculture"] = str(int(row["income-income_agriculture"]) + 1000)
        if number < 5:
            row["location-village_code"] = row["location-village_code"][:6] + (
                OUTSIDE_THE_REGISTER_MOO
            )
        return row

    rewrite_csv(
        survey / "roijai_followup_2564_odk.csv",
        warehouse.landing / "survey" / "roijai_followup_2564_a_reexport.csv",
        reexport,
    )

    def new_version(number, row):
        if number >= 350:
            return None
        if number == 0:
            row["debt-debt_total"] = "12345"
        return row

    rewrite_csv(
        survey / "roijai_followup_2565_odk.csv",
        warehouse.landing / "survey" / "roijai_followup_2565_odk.csv",
        new_version,
    )


def an_agency_renamed(lines: list[str]) -> list[str]:
    """The canonical name of the agency of the seed's first line changes: its lines, plans and
    partner villages are named anew."""
    header, first, *rest = lines
    old_name = first.split(",")[1]
    renamed = [line.replace(f",{old_name},", f",{old_name} (ชื่อใหม่),") for line in [first, *rest]]
    assert renamed != [first, *rest]
    return [header, *renamed]


def a_higher_income_line(lines: list[str]) -> list[str]:
    """The BMN line of B.E. 2560-2564 rises by 1,000 baht: households near it fall below it."""
    header, *rows = lines
    raised = [
        row if not row.startswith("2560,2564,") else f"2560,2564,{int(row.split(',')[2]) + 1000}"
        for row in rows
    ]
    assert raised != rows
    return [header, *raised]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Warehouse:
    return Warehouse(tmp_path_factory.mktemp("incremental"))


def rebuilt(warehouse: Warehouse) -> list[tuple]:
    return warehouse.rows(
        "select 'households', max(rebuilt_at) from intermediate.int_household_surveys "
        "union all select 'members', max(rebuilt_at) from intermediate.int_household_members "
        "union all select 'facts', max(rebuilt_at) from main.fct_household_surveys order by 1"
    )


def test_incremental_builds_equal_a_full_refresh(warehouse: Warehouse):
    warehouse.land(*FIRST_BATCH)
    warehouse.ingest()
    warehouse.dbt_build()
    first = warehouse.rows("select count(*) from main.fct_household_surveys")

    warehouse.land("*/*")
    warehouse.ingest()
    warehouse.dbt_build()
    assert warehouse.rows("select count(*) from main.fct_household_surveys") > first

    land_superseding_files(warehouse)
    warehouse.change_seed("agency_name_variants", an_agency_renamed)
    warehouse.ingest()
    assert warehouse.rows(
        "select status, count(*) from raw.ingest_ledger where file_name in "
        "('roijai_followup_2564_a_reexport.csv', 'roijai_followup_2565_odk.csv') "
        "group by status order by status"
    ) == [("loaded", 2), ("replaced", 1)]
    warehouse.dbt_build()
    # the re-export's copies count now, except those in a village outside the register
    assert warehouse.rows(
        "select is_counted, count(*) from intermediate.int_household_surveys "
        "where source_file_name = 'roijai_followup_2564_a_reexport.csv' group by all order by 1"
    ) == [(False, 5), (True, 295)]
    full_refresh = warehouse.full_refresh()
    assert differences(warehouse.path, full_refresh) == {}

    before = rebuilt(warehouse)
    warehouse.ingest()
    warehouse.dbt_build()
    assert rebuilt(warehouse) == before
    assert differences(warehouse.path, full_refresh) == {}

    warehouse.change_seed("bmn_income_lines", a_higher_income_line)
    warehouse.dbt_build()
    assert rebuilt(warehouse) > before
    assert differences(warehouse.path, warehouse.full_refresh()) == {}
