"""The singular dbt tests in dbt_project/tests/ really judge the seeds: on a copy of the dbt
project whose seeds are wrong (the phase-1 village target blanked, one programme province
removed, a survey round of the reporting calendar without its number) a real `dbt seed` +
`dbt test` into a temporary DuckDB file fails every one and names it; on the shipped seeds the
same commands pass."""

import json
import os
import shutil
import subprocess
from pathlib import Path

from orchestration.dbt_project import DBT_EXECUTABLE
from sources.settings import REPO_ROOT

SINGULAR_TESTS = (
    "every_target_has_its_value",
    "programme_provinces_match_the_province_target",
    "reporting_calendar_rows_name_their_period",
)


def break_seeds(seeds: Path) -> None:
    """Blank the phase-1 village target, drop one programme province and the number of a
    survey round, bytes otherwise kept."""
    targets = seeds / "programme_targets.csv"
    data = targets.read_bytes()
    assert data.count(b"\n1,village,47,,") == 1
    targets.write_bytes(data.replace(b"\n1,village,47,,", b"\n1,village,,,"))

    provinces = seeds / "programme_provinces.csv"
    data = provinces.read_bytes()
    row = "58,แม่ฮ่องสอน,Mae Hong Son\n".encode()
    assert data.count(row) == 1
    provinces.write_bytes(data.replace(row, b""))

    calendar = seeds / "reporting_calendar.csv"
    data = calendar.read_bytes()
    assert data.count(b"\nsurvey,1,2,2564,") == 1
    calendar.write_bytes(data.replace(b"\nsurvey,1,2,2564,", b"\nsurvey,1,,2564,"))


def run_singular_tests(tmp_path: Path, *, wrong_seeds: bool):
    """Seed a copy of the dbt project into a fresh DuckDB file and run its singular tests.

    Returns the `dbt test` process and each singular test's status from run_results.json."""
    project = tmp_path / "dbt_project"
    shutil.copytree(
        REPO_ROOT / "dbt_project",
        project,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"),
    )
    if wrong_seeds:
        break_seeds(project / "seeds")

    env = dict(os.environ) | {"ROIJAI_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb")}
    dirs = ["--project-dir", str(project), "--profiles-dir", str(project)]

    def dbt(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(DBT_EXECUTABLE), *args, *dirs],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    seeded = dbt("seed")
    assert seeded.returncode == 0, seeded.stdout[-3000:] + seeded.stderr[-3000:]
    tested = dbt("test", "--select", "test_type:singular")

    results = json.loads((project / "target" / "run_results.json").read_text(encoding="utf-8"))
    statuses = {
        result["unique_id"].split(".")[-1]: (result["status"], result["failures"])
        for result in results["results"]
    }
    return tested, statuses


def test_wrong_seeds_fail_every_singular_test(tmp_path):
    """dbt runs data tests as warnings (dbt_project.yml): a failing one says WARN and counts
    its failing rows; the gate reads its meta.severity, error for these."""
    tested, statuses = run_singular_tests(tmp_path, wrong_seeds=True)

    assert set(statuses) == set(SINGULAR_TESTS), tested.stdout[-3000:]
    for name, (status, failures) in statuses.items():
        assert status == "warn" and failures > 0, (name, status, failures)
        assert any("WARN" in line and name in line for line in tested.stdout.splitlines()), name


def test_shipped_seeds_pass_every_singular_test(tmp_path):
    tested, statuses = run_singular_tests(tmp_path, wrong_seeds=False)

    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-3000:]
    assert statuses == dict.fromkeys(SINGULAR_TESTS, ("pass", 0))
