"""Where things are: every path the pipeline uses is resolved here, from the environment.

- ``ROIJAI_DATA_DIR``: the data folder (default ``data/`` in the repository).
- ``ROIJAI_DUCKDB_PATH``: the warehouse file (default ``$ROIJAI_DATA_DIR/warehouse.duckdb``).
- ``ROIJAI_DUCKDB_MEMORY_LIMIT``, ``ROIJAI_DUCKDB_THREADS``: DuckDB's memory limit (default 2GB;
  past it DuckDB spills to disk) and threads (default 2) in the pipeline and in dbt.
  dbt's ``profiles.yml`` reads the same variable, so Dagster and dbt always share one file.
- ``ROIJAI_LANDING_DIR``: the landing folder (default: the shipped sample).
- ``ROIJAI_AS_OF``: the evaluation date, ISO (default: today in Asia/Bangkok): what is due by
  then is expected, for back-fills and tests. Read when a run evaluates, not when the code
  location loads, so a daily run under ``dagster dev`` judges its own day.
- ``ROIJAI_MAX_*``: how much work one landing file may cost (``FileLimits``).
- ``ROIJAI_DBT_FULL_REFRESH``: ``1`` makes dbt rebuild the incremental facts from the raw
  tables (``dbt build --full-refresh``) instead of adding what changed.
- ``ROIJAI_POSTGRES_URL``: when set (``postgresql://user:password@host:port/database``), each
  publication is also copied into that PostgreSQL database, in the schema
  ``ROIJAI_POSTGRES_SCHEMA`` (default ``roijai``), readable by the role
  ``ROIJAI_POSTGRES_READER_ROLE`` (default ``roijai_reader``) and nothing else there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_LANDING_DIR = REPO_ROOT / "sources" / "sample" / "landing"

DUCKDB_PATH_VARIABLE = "ROIJAI_DUCKDB_PATH"
# DuckDB's memory limit and threads for every connection of the pipeline, dbt's too (the
# defaults are also in dbt_project/profiles.yml, for dbt run by hand; a test keeps them equal).
# Past the limit DuckDB spills to disk next to the warehouse (<file>.tmp).
DUCKDB_SETTINGS_VARIABLES = {
    "memory_limit": ("ROIJAI_DUCKDB_MEMORY_LIMIT", "2GB"),
    "threads": ("ROIJAI_DUCKDB_THREADS", "2"),
}
AS_OF_VARIABLE = "ROIJAI_AS_OF"
DBT_FULL_REFRESH_VARIABLE = "ROIJAI_DBT_FULL_REFRESH"
PROGRAMME_TIMEZONE = ZoneInfo("Asia/Bangkok")
# What the pipeline writes (the warehouse and its log, the pseudonym key, reports, proposed
# mappings) is its account's alone: 0600 files, 0700 folders. The publication sets its own.
PRIVATE_UMASK = 0o077


def is_sample(landing_dir: Path) -> bool:
    """The shipped sample is the landing folder (no real person's data)."""
    return landing_dir.resolve() == SAMPLE_LANDING_DIR.resolve()


SETTLE_SECONDS_VARIABLE = "ROIJAI_SETTLE_SECONDS"
DEFAULT_SETTLE_SECONDS = 60.0


def settle_seconds(landing_dir: Path) -> float:
    """How long a landing file must be unchanged before it is read (ROIJAI_SETTLE_SECONDS,
    default a minute): a file still being copied in is left for the next run. The shipped
    sample is read as it is (it is not being delivered)."""
    if is_sample(landing_dir):
        return 0.0
    text = os.environ.get(SETTLE_SECONDS_VARIABLE, "").strip()
    try:
        return float(text) if text else DEFAULT_SETTLE_SECONDS
    except ValueError:
        raise ValueError(f"{SETTLE_SECONDS_VARIABLE}={text!r} is not a number of seconds") from None


@dataclass(frozen=True)
class FileLimits:
    """How much work one landing file may cost. A file past a limit fails alone, its error
    naming the limit's variable (``ROIJAI_`` + the field's name in capitals) and its value."""

    max_csv_mb: float = 2048  # CSV is streamed
    max_workbook_mb: float = 200  # a workbook is held in memory
    # A workbook is a zip of XML: one that unpacks to more than this, or to more times its
    # own size (a zip bomb: 20 MB that unpack to 4 GB), is refused before it is read.
    # Agencies' workbooks unpack to a few megabytes, 5 to 20 times their size.
    max_unpacked_mb: float = 1024
    max_unpack_ratio: float = 100
    # A KoboToolbox export with a column per select_multiple option has several hundred.
    max_columns: int = 2000
    max_cell_chars: int = 32767  # what an Excel cell can hold
    # A workbook sheet is read into memory as a grid from A1 to its last cell: a 5 KB file
    # with one cell at XFD1048576 is a grid of 17 billion cells. Larger data comes as CSV.
    max_sheet_cells: int = 20_000_000
    max_parse_seconds: float = 300

    def setting(self, name: str) -> str:
        """The limit as it is set: 'ROIJAI_MAX_COLUMNS=2000'."""
        value = getattr(self, name)
        return f"ROIJAI_{name.upper()}={int(value) if value == int(value) else value}"


def file_limits() -> FileLimits:
    """The limits, each from its environment variable (ROIJAI_MAX_COLUMNS, ...) when set."""
    values = {}
    for limit in fields(FileLimits):
        variable = f"ROIJAI_{limit.name.upper()}"
        text = os.environ.get(variable, "").strip()
        if not text:
            continue
        try:
            values[limit.name] = int(text) if limit.type == "int" else float(text)
        except ValueError:
            raise ValueError(f"{variable}={text!r} is not a number") from None
    return FileLimits(**values)


def keep_files_private() -> None:
    """Make every file this process creates from now on private to the pipeline's account."""
    os.umask(PRIVATE_UMASK)


POSTGRES_URL_VARIABLE = "ROIJAI_POSTGRES_URL"
POSTGRES_SCHEMA_VARIABLE = "ROIJAI_POSTGRES_SCHEMA"
POSTGRES_READER_ROLE_VARIABLE = "ROIJAI_POSTGRES_READER_ROLE"
DEFAULT_POSTGRES_SCHEMA = "roijai"
DEFAULT_POSTGRES_READER_ROLE = "roijai_reader"
# A schema or role name written into SQL as it is: lower case, at most 40 characters (the
# publication adds a suffix to the schema's name within PostgreSQL's 63).
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,39}")
RESERVED_SCHEMAS = ("public", "information_schema")


@dataclass(frozen=True)
class PostgresTarget:
    """Where the publication is copied in PostgreSQL, and who may read it there."""

    url: str = field(repr=False)  # holds the password
    schema: str = DEFAULT_POSTGRES_SCHEMA
    reader_role: str = DEFAULT_POSTGRES_READER_ROLE


def postgres_target() -> PostgresTarget | None:
    """The PostgreSQL copy's settings, None when ROIJAI_POSTGRES_URL is not set."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise ValueError(
            f"{POSTGRES_URL_VARIABLE} is not a postgresql:// URL "
            "(postgresql://user:password@host:port/database)"
        )
    names = {}  # schema, then reader role
    for variable, default in (
        (POSTGRES_SCHEMA_VARIABLE, DEFAULT_POSTGRES_SCHEMA),
        (POSTGRES_READER_ROLE_VARIABLE, DEFAULT_POSTGRES_READER_ROLE),
    ):
        name = os.environ.get(variable, "").strip() or default
        if not IDENTIFIER.fullmatch(name) or name in RESERVED_SCHEMAS or name.startswith("pg_"):
            raise ValueError(
                f"{variable}={name!r} is not a plain SQL name of our own (lower-case letters, "
                "digits and _, at most 40, not public or pg_*)"
            )
        names[variable] = name
    schema, reader_role = names.values()
    return PostgresTarget(url, schema, reader_role)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    duckdb_path: Path
    landing_dir: Path
    postgres: PostgresTarget | None = None  # the publication's copy in PostgreSQL, if any

    @property
    def published_dir(self) -> Path:
        """What analysts and BI tools read: the published file, Parquet, the manifest."""
        return self.data_dir / "published"

    @property
    def uses_sample(self) -> bool:
        return is_sample(self.landing_dir)

    @property
    def report_path(self) -> Path:
        """The quality report of the last run."""
        return self.data_dir / "reports" / "quality_report.html"

    @property
    def committee_reports_dir(self) -> Path:
        """The committee's progress reports, one folder per date (serving/committee_report)."""
        return self.data_dir / "reports" / "committee"

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """The warehouse, open only for the time a step needs it: the one way to open it."""
        yield from open_warehouse(self.duckdb_path, read_only)


def duckdb_settings() -> dict[str, str]:
    """DuckDB's settings for the pipeline's connections: ROIJAI_DUCKDB_MEMORY_LIMIT (a size
    such as 2GB) and ROIJAI_DUCKDB_THREADS."""
    return {
        setting: os.environ.get(variable) or default
        for setting, (variable, default) in DUCKDB_SETTINGS_VARIABLES.items()
    }


def open_warehouse(path: Path, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the DuckDB file (creating its folder to write it) and close it afterwards."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(path), read_only=read_only, config=duckdb_settings())
    if not read_only:
        path.chmod(0o600)  # also a warehouse created before the pipeline kept its files private
    try:
        yield connection
    finally:
        connection.close()


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("ROIJAI_DATA_DIR") or REPO_ROOT / "data").resolve()
    duckdb_path = Path(os.environ.get(DUCKDB_PATH_VARIABLE) or data_dir / "warehouse.duckdb")
    landing_dir = Path(os.environ.get("ROIJAI_LANDING_DIR") or SAMPLE_LANDING_DIR)
    return Settings(data_dir, duckdb_path.resolve(), landing_dir.resolve(), postgres_target())


def settings_shared_with_dbt() -> Settings:
    """Resolve the settings and publish the warehouse path and DuckDB's settings to child
    processes (dbt)."""
    settings = load_settings()
    os.environ[DUCKDB_PATH_VARIABLE] = str(settings.duckdb_path)
    for setting, value in duckdb_settings().items():
        os.environ[DUCKDB_SETTINGS_VARIABLES[setting][0]] = value
    return settings


def evaluation_date() -> date:
    """The date the run judges what is due by: ROIJAI_AS_OF, else today in Asia/Bangkok."""
    text = os.environ.get(AS_OF_VARIABLE, "").strip()
    if not text:
        return datetime.now(PROGRAMME_TIMEZONE).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{AS_OF_VARIABLE}={text!r} is not a date (YYYY-MM-DD)") from None


def dbt_full_refresh() -> bool:
    """Whether dbt rebuilds the incremental facts from the raw tables (ROIJAI_DBT_FULL_REFRESH=1)
    instead of adding what changed (docs/architecture.md, "Incremental facts")."""
    return os.environ.get(DBT_FULL_REFRESH_VARIABLE, "").strip() == "1"
