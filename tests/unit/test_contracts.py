import pytest

from sources.contracts import load_contracts


@pytest.fixture(scope="module")
def agency():
    (table,) = load_contracts()["agency"].tables
    return table


@pytest.mark.parametrize(
    "header", ["งบประมาณ", "งบประมาณ (บาท)", " งบประมาณ  (บาท) ", "Budget (THB)", "BUDGET"]
)
def test_budget_header_variants(agency, header):
    assert agency.match_header(header).name == "budget_allocated"


def test_group_paths_match_by_their_last_part():
    households = load_contracts()["survey"].tables[0]
    assert households.match_header("location/village_code").name == "village_code"
    assert households.match_header("location-village_code").name == "village_code"
    assert households.is_personal("household/head_name")


def test_unknown_header(agency):
    assert agency.match_header("หมายเหตุ") is None


def test_every_source_kind_has_a_contract():
    assert set(load_contracts()) == {"register", "survey", "agency", "plans"}
