"""The hostile corpus (tests/fuzz/hostile_files.py) in one landing folder with good files: each
hostile file gets its expected outcome, the good files load whole, and the batch stays within
its time and memory bounds (asserted here on the batch's own process, not benchmarked)."""

import json
import re
import subprocess
import sys
import time

import duckdb
import pytest

from sources.settings import REPO_ROOT
from tests.fuzz.hostile_files import CORPUS, GOOD_FILES, write_corpus

SECONDS_PER_FILE = 15
BATCH_SECONDS = 180
PEAK_MEMORY_MB = 1500


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    write_corpus(root / "landing", CORPUS + GOOD_FILES)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "tests.fuzz.ingest_batch", root / "landing",
         root / "warehouse.duckdb", root / "result.json"],
        cwd=REPO_ROOT, check=True, timeout=BATCH_SECONDS,
    )  # fmt: skip
    result = json.loads((root / "result.json").read_text(encoding="utf-8"))
    result["wall_seconds"] = time.monotonic() - started
    result["warehouse"] = root / "warehouse.duckdb"
    return result


def test_the_corpus_is_thirty_hostile_files_or_more():
    assert len(CORPUS) >= 30
    assert len({f.name for f in CORPUS + GOOD_FILES}) == len(CORPUS + GOOD_FILES)


@pytest.mark.parametrize("hostile", CORPUS, ids=lambda f: f.name)
def test_each_hostile_file_gets_its_expected_outcome(batch, hostile):
    outcomes = {o["file"]: o for o in batch["files"]}
    expected = hostile.expected
    if expected.status == "not_listed":
        assert hostile.name not in outcomes
        return
    outcome = outcomes[hostile.name]
    assert outcome["status"] == expected.status, outcome["error"]
    if expected.error is not None:
        assert outcome["error"].startswith(f"{hostile.name}: ") or expected.status != "failed"
        assert expected.error in outcome["error"]
    if expected.status != "loaded":
        assert outcome["rows_loaded"] == 0
        return
    reasons = [(r, n) for file, r, n in batch["quarantine"] if file == hostile.name]
    for part, count in expected.quarantined.items():
        assert sum(n for r, n in reasons if part in r) == count, reasons
    assert outcome["rows_quarantined"] == sum(expected.quarantined.values()), reasons
    assert outcome["rows_loaded"] > 0
    assert outcome["rows_loaded"] + outcome["rows_quarantined"] == outcome["rows_read"]


def test_the_good_files_of_the_batch_load_whole(batch):
    outcomes = {o["file"]: o for o in batch["files"]}
    loaded = {
        f.name: (outcomes[f.name]["status"], outcomes[f.name]["rows_loaded"]) for f in GOOD_FILES
    }
    assert loaded == {"good_projects.csv": ("loaded", 6), "good_projects.xlsx": ("loaded", 5)}


def test_each_file_is_done_within_seconds_and_the_batch_within_bounded_memory(batch):
    slow = {
        o["file"]: round(o["seconds"], 1) for o in batch["files"] if o["seconds"] > SECONDS_PER_FILE
    }
    assert slow == {}
    assert batch["peak_mb"] < PEAK_MEMORY_MB


def test_no_control_character_reaches_the_raw_tables(batch):
    with duckdb.connect(str(batch["warehouse"]), read_only=True) as connection:
        names = [
            n
            for (n,) in connection.execute(
                "select project_name from raw.agency_projects"
            ).fetchall()
        ]
    assert names and not [n for n in names if re.search(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", n)]
