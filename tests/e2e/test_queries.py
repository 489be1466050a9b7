"""Every committee question in docs/queries.md runs against the sample warehouse and answers."""

import re

import pytest

from sources.settings import REPO_ROOT

QUERIES = REPO_ROOT / "docs" / "queries.md"


def committee_queries() -> list[tuple[str, str]]:
    """(question, SQL) pairs: each '### ' heading and the sql block under it."""
    text = QUERIES.read_text(encoding="utf-8")
    return re.findall(r"^### (.+?)\n+```sql\n(.+?)```", text, flags=re.MULTILINE | re.DOTALL)


def test_there_are_at_least_ten_questions():
    assert len(committee_queries()) >= 10


@pytest.mark.parametrize(("question", "sql"), committee_queries(), ids=lambda v: v[:40])
def test_query_answers(warehouse, question, sql):
    rows = warehouse.execute(sql).fetchall()
    assert rows, f"no rows for: {question}"
