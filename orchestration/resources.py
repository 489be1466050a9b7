"""Resources: the warehouse file and the landing folder, configured from sources.settings."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from sources.settings import open_warehouse


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file. Open it only for the time a step needs it."""

    duckdb_path: str

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        yield from open_warehouse(Path(self.duckdb_path), read_only)


class LandingResource(dg.ConfigurableResource):
    """Where agency files arrive, and the data folder that holds the local pseudonym key."""

    landing_dir: str
    data_dir: str
