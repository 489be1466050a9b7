"""The warehouse's tables as Parquet, for Spark: one folder per table, types kept (money as
decimal(18,2), dates, timestamps), JSON as its text, and a missing table named."""

import datetime as dt
from decimal import Decimal

import pytest

from sources.raw_export import export_tables, table_folder
from sources.sql import sql_string


@pytest.fixture
def raw_tables(warehouse):
    warehouse.execute("create schema raw")
    warehouse.execute(
        "create table raw.agency_projects (project_name varchar, budget_allocated decimal(18,2), "
        "start_date date, loaded_at timestamp, _extra json)"
    )
    warehouse.execute(
        "insert into raw.agency_projects values ('ถนน ''คอนกรีต''', 1234567.89, '2020-01-15', "
        "'2020-01-15 03:22:11.5', '{\"หมายเหตุ\": \"x\"}'), (null, null, null, null, null)"
    )
    return warehouse


def test_a_table_keeps_its_rows_and_types(raw_tables, tmp_path):
    written = export_tables(raw_tables, ["raw.agency_projects"], tmp_path)
    assert written == {"raw.agency_projects": tmp_path / "raw" / "agency_projects"}
    assert table_folder(tmp_path, "raw.agency_projects") == written["raw.agency_projects"]
    files = sql_string(str(written["raw.agency_projects"] / "*.parquet"))
    copy = raw_tables.sql(f"select * from read_parquet({files})")
    assert [str(t) for t in copy.types] == [
        "VARCHAR", "DECIMAL(18,2)", "DATE", "TIMESTAMP", "VARCHAR"
    ]  # fmt: skip
    assert sorted(copy.fetchall(), key=repr) == sorted(
        [
            (
                "ถนน 'คอนกรีต'",
                Decimal("1234567.89"),
                dt.date(2020, 1, 15),
                dt.datetime(2020, 1, 15, 3, 22, 11, 500000),
                '{"หมายเหตุ": "x"}',
            ),
            (None, None, None, None, None),
        ],
        key=repr,
    )


def test_a_table_the_warehouse_lacks_is_named(raw_tables, tmp_path):
    with pytest.raises(ValueError, match=r"raw\.survey_households: no such table"):
        export_tables(raw_tables, ["raw.agency_projects", "raw.survey_households"], tmp_path)
