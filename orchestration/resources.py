"""Resources: the warehouse file and the landing folder, configured from sources.settings."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file. Open it only for the time a step needs it."""

    duckdb_path: str

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if not read_only:
            Path(self.duckdb_path).parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(self.duckdb_path, read_only=read_only)
        try:
            yield connection
        finally:
            connection.close()


class LandingResource(dg.ConfigurableResource):
    """Where agency files arrive, and the data folder that holds the local pseudonym key."""

    landing_dir: str
    data_dir: str
