"""Drop one phase-1 village from a copy of the register: the 47-village check fails, and the
`make run` entry point says so and exits non-zero."""

import os
import subprocess
import sys

from sources.readers import read_sheets
from sources.settings import REPO_ROOT
from tests.e2e.conftest import landing_copy
from tests.helpers import write_xlsx


def drop_first_village(register_path, sheet_name):
    """Rewrite the register without the first data row of one sheet."""
    sheets = {sheet.name: sheet.rows for sheet in read_sheets(register_path)}
    rows = sheets[sheet_name]
    header = next(i for i, row in enumerate(rows) if "รหัสหมู่บ้าน" in row)
    dropped = rows.pop(header + 1)
    register_path.unlink()
    write_xlsx(register_path, sheets)
    return dropped


def test_a_missing_phase_one_village_fails_the_run(tmp_path):
    landing = landing_copy(tmp_path)
    (register,) = (landing / "register").glob("*.xlsx")
    dropped = drop_first_village(register, "ระยะที่ 1")

    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "ROIJAI_DUCKDB_PATH")}
    env |= {"ROIJAI_LANDING_DIR": str(landing), "ROIJAI_DATA_DIR": str(tmp_path / "data")}
    completed = subprocess.run(
        [sys.executable, "-m", "orchestration.run"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert completed.returncode == 1, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "phase 1: 46 villages against a target of 47 (1 short)" in completed.stdout
    assert "FAILED (ERROR) mart_phase phase_targets_met" in completed.stdout
    assert dropped[0] is not None
