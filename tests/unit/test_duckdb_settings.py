"""DuckDB's memory limit and threads come from the settings, in the pipeline's connections and
in dbt's profile alike."""

import re

import yaml

from sources.settings import (
    DUCKDB_SETTINGS_VARIABLES,
    REPO_ROOT,
    Settings,
    duckdb_settings,
)

PROFILE = REPO_ROOT / "dbt_project" / "profiles.yml"


def test_the_connection_takes_the_memory_limit_and_threads(tmp_path, monkeypatch):
    monkeypatch.setenv("ROIJAI_DUCKDB_MEMORY_LIMIT", "300MB")
    monkeypatch.setenv("ROIJAI_DUCKDB_THREADS", "1")
    settings = Settings(tmp_path, tmp_path / "w.duckdb", tmp_path / "landing")
    with settings.connect() as connection:
        limit, threads = connection.execute(
            "select current_setting('memory_limit'), current_setting('threads')"
        ).fetchone()
    assert limit == "286.1 MiB" and threads == 1  # 300 MB as DuckDB shows it


def test_the_defaults_hold_without_the_variables(monkeypatch):
    for variable, _ in DUCKDB_SETTINGS_VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    assert duckdb_settings() == {"memory_limit": "2GB", "threads": "2"}


def test_dbt_profile_reads_the_same_variables_with_the_same_defaults():
    settings = yaml.safe_load(PROFILE.read_text())["roijai"]["outputs"]["local"]["settings"]
    for setting, (variable, default) in DUCKDB_SETTINGS_VARIABLES.items():
        assert re.fullmatch(
            rf"\{{\{{ env_var\('{variable}', '{re.escape(default)}'\) \}}\}}", settings[setting]
        ), setting
