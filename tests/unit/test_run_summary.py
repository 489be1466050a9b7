"""What `make run` says: a publishable run whose publication failed says why, and that the
last good publication stays; a warehouse another process holds is said, not a traceback."""

import duckdb

from expectations.results import CheckRecord
from orchestration.run import PipelineOutcome, publication_lines, warehouse_lines
from serving.run_decision import decide
from sources.settings import PostgresTarget, Settings
from tests.helpers import write_lock_held

PASSED = CheckRecord("row_count", "raw/register_villages", "great_expectations", "error", True)


def test_a_failed_publication_is_said_with_its_cause(tmp_path):
    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", tmp_path / "landing")
    outcome = PipelineOutcome(
        result=None,
        decision=decide([PASSED]),
        published=False,
        publication_error="IOException: No space left on device",
    )
    (line,) = publication_lines(outcome, settings)
    assert line == (
        "NOT published: the publication failed: IOException: No space left on device; "
        "nothing has been published yet"
    )


def test_a_warehouse_held_by_another_process_is_said_not_raised(tmp_path):
    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", tmp_path / "landing")
    duckdb.connect(str(settings.duckdb_path)).close()
    with write_lock_held(settings.duckdb_path):
        lines = warehouse_lines(settings)
    assert lines == [
        "The warehouse could not be read for this summary (IOException): is another process "
        "holding it open?"
    ]


def test_a_committee_report_that_failed_is_said_and_the_publication_stands(tmp_path):
    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", tmp_path / "landing")
    made = PipelineOutcome(None, decide([PASSED]), published=True, report_folder="/r/2026-12-07")
    assert publication_lines(made, settings)[1] == (
        "Committee report: /r/2026-12-07 (report.html, .pdf, .xlsx)"
    )
    failed = PipelineOutcome(
        None, decide([PASSED]), published=True, report_error="ChromiumMissingError: no chromium"
    )
    published, report = publication_lines(failed, settings)
    assert published.startswith("Published: ")
    assert report == (
        "Committee report NOT made: ChromiumMissingError: no chromium; the publication stands"
    )


def test_a_failed_postgres_copy_is_said_beside_the_publication_that_stands(tmp_path):
    target = PostgresTarget("postgresql://roijai:secret@db:5432/bi", "roijai", "roijai_reader")
    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", tmp_path / "landing", target)
    failed = PipelineOutcome(
        result=None,
        decision=decide([PASSED]),
        published=True,
        postgres_error="cannot connect to PostgreSQL at roijai@db:5432/bi: connection refused",
        report_folder="/r/2026-12-07",
    )
    published, report, copy = publication_lines(failed, settings)
    assert published.startswith("Published: ")
    assert report.startswith("Committee report: ")
    assert copy == (
        "PostgreSQL copy FAILED (PostgreSQL roijai@db:5432/bi, schema roijai): cannot connect "
        "to PostgreSQL at roijai@db:5432/bi: connection refused; the DuckDB publication "
        "stands, PostgreSQL keeps its previous publication"
    )
    copied = PipelineOutcome(
        result=None, decision=decide([PASSED]), published=True, report_folder="/r/2026-12-07"
    )
    assert publication_lines(copied, settings)[2] == (
        "Copied to PostgreSQL roijai@db:5432/bi, schema roijai (read-only role roijai_reader)"
    )
    assert "secret" not in "".join(publication_lines(failed, settings))
