"""What `make run` says about the publication: a publishable run whose publication failed says
why, and that the last good publication stays."""

from expectations.results import CheckRecord
from orchestration.run import PipelineOutcome, publication_lines
from serving.run_decision import decide
from sources.settings import Settings

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
