import duckdb
import pytest

from sources.programme_seeds import programme_province_codes
from sources.resolve import GeographyResolver


@pytest.fixture(scope="session")
def resolver():
    return GeographyResolver(programme_province_codes())


@pytest.fixture
def warehouse(tmp_path):
    """A fresh DuckDB file for one test."""
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        yield connection
