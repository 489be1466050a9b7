"""docs/quality.md and the code agree: every GX check of the catalog and every dbt test is in
the rules table, under the tool that runs it and with its severity, and no rule is in both."""

import json
import re
from pathlib import Path

from expectations.catalog import CHECKS
from orchestration.assets.dbt import gate_severity
from orchestration.dbt_project import roijai_dbt_project
from sources.settings import REPO_ROOT

QUALITY_DOC = REPO_ROOT / "docs" / "quality.md"


def rules_table() -> list[dict[str, str]]:
    lines = QUALITY_DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Rule |"))
    header = [cell.strip() for cell in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(header, (c.strip() for c in line.strip("|").split("|")), strict=True)))
    return rows


def named_checks(where: str) -> dict[str, str]:
    """Check (or dbt test kind) names listed for one tool, with the severity of their row."""
    return {
        name: row["Severity"]
        for row in rules_table()
        if row["Where"] == where
        for name in re.findall(r"`([^`]+)`", row["Checks"])
    }


def dbt_tests() -> list[dict]:
    manifest = json.loads(Path(roijai_dbt_project.manifest_path).read_text(encoding="utf-8"))
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]


def test_every_gx_check_is_documented_with_its_severity():
    documented = named_checks("GX")
    for check in CHECKS:
        assert check.name in documented, f"{check.name} is missing from docs/quality.md"
        assert documented[check.name] == check.severity.value, check.name


def test_every_gx_error_says_whether_it_blocks_publication():
    blocks = {
        name: row["Blocks"]
        for row in rules_table()
        if row["Where"] == "GX"
        for name in re.findall(r"`([^`]+)`", row["Checks"])
    }
    for check in CHECKS:
        if check.severity.value == "error":
            assert blocks[check.name] == ("yes" if check.blocks_publication else "no"), check.name
        else:
            assert blocks[check.name] == "-", check.name


def test_every_dbt_test_is_documented_by_its_name_or_its_kind_with_its_severity():
    documented = named_checks("dbt")
    for test in dbt_tests():
        kind = (test.get("test_metadata") or {}).get("name")
        name = test["name"] if test["name"] in documented else kind
        assert name in documented, f"dbt test {test['name']} is missing from docs/quality.md"
        assert documented[name] == gate_severity(test), test["name"]


def test_no_rule_is_checked_by_both_tools():
    assert set(named_checks("dbt")) & set(named_checks("GX")) == set()
    assert {row["Where"] for row in rules_table()} == {"dbt", "GX"}
