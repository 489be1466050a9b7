"""The marts' YAML documents every column in English and Thai, and the mart_* models have an
enforced dbt contract. Reads only the YAML: no warehouse, no dbt manifest, no network."""

import re
from pathlib import Path

import pytest
import yaml

MARTS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"
THAI = re.compile("[\u0e00-\u0e7f]")
MART_NAMES = {
    "mart_village",
    "mart_phase",
    "mart_phase_province",
    "mart_budget",
    "mart_budget_village",
    "mart_village_drug_situation",
    "mart_reporting_completeness",
    "mart_files_not_read",
}
DOCUMENTED = MART_NAMES | {
    "dim_agencies",
    "dim_fiscal_periods",
    "fct_budget_lines",
    "fct_plan_items",
    "fct_household_surveys",
    "fct_expected_reports",
}


def _models() -> dict[str, dict]:
    """The marts' models, from the one YAML beside them in each folder."""
    models = [
        model
        for path in sorted(MARTS_DIR.glob("*/_*__models.yml"))
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
    ]
    names = [model["name"] for model in models]
    assert len(names) == len(set(names)), "a model is listed twice"
    return {model["name"]: model for model in models}


MODELS = _models()


def test_the_expected_models_are_documented():
    assert set(MODELS) >= DOCUMENTED
    assert {name for name in MODELS if name.startswith("mart_")} == MART_NAMES


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_has_a_description(name):
    assert str(MODELS[name].get("description") or "").strip()


@pytest.mark.parametrize("name", sorted(MART_NAMES))
def test_marts_have_an_enforced_contract_with_typed_columns(name):
    model = MODELS[name]
    assert (model.get("config") or {}).get("contract", {}).get("enforced") is True
    columns = model.get("columns") or []
    assert columns
    untyped = [column["name"] for column in columns if not column.get("data_type")]
    assert not untyped, f"{name}: columns without data_type: {untyped}"


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_column_is_described_in_english_and_thai(name):
    columns = MODELS[name].get("columns") or []
    assert columns, f"{name} lists no columns"
    names = [column["name"] for column in columns]
    assert len(names) == len(set(names)), f"{name}: a column is listed twice"
    for column in columns:
        description = str(column.get("description") or "").strip()
        assert description, f"{name}.{column['name']} has no description"
        assert THAI.search(description), f"{name}.{column['name']}: no Thai label"
        assert re.search("[A-Za-z]", description), f"{name}.{column['name']}: no English"
