"""Where things are: every path the pipeline uses is resolved here, from the environment.

- ``ROIJAI_DATA_DIR``: the data folder (default ``data/`` in the repository).
- ``ROIJAI_DUCKDB_PATH``: the warehouse file (default ``$ROIJAI_DATA_DIR/warehouse.duckdb``).
  dbt's ``profiles.yml`` reads the same variable, so Dagster and dbt always share one file.
- ``ROIJAI_LANDING_DIR``: the landing folder (default: the shipped sample).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_LANDING_DIR = REPO_ROOT / "sources" / "sample" / "landing"

DUCKDB_PATH_VARIABLE = "ROIJAI_DUCKDB_PATH"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    duckdb_path: Path
    landing_dir: Path

    @property
    def published_dir(self) -> Path:
        """What analysts and BI tools read: the published file, Parquet, the manifest."""
        return self.data_dir / "published"

    @property
    def report_path(self) -> Path:
        """The quality report of the last run."""
        return self.data_dir / "reports" / "quality_report.html"


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("ROIJAI_DATA_DIR") or REPO_ROOT / "data").resolve()
    duckdb_path = Path(os.environ.get(DUCKDB_PATH_VARIABLE) or data_dir / "warehouse.duckdb")
    landing_dir = Path(os.environ.get("ROIJAI_LANDING_DIR") or SAMPLE_LANDING_DIR)
    return Settings(data_dir, duckdb_path.resolve(), landing_dir.resolve())


def export_duckdb_path() -> Settings:
    """Resolve the settings and publish the warehouse path to child processes (dbt)."""
    settings = load_settings()
    os.environ[DUCKDB_PATH_VARIABLE] = str(settings.duckdb_path)
    return settings
