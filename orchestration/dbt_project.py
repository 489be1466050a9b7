"""The dbt project as Dagster sees it. Kept alone so `dagster-dbt project prepare-and-package
--file orchestration/dbt_project.py` can build the manifest without loading the rest."""

import sys
from pathlib import Path

from dagster_dbt import DbtProject

from sources.settings import REPO_ROOT, settings_shared_with_dbt

settings_shared_with_dbt()  # profiles.yml reads ROIJAI_DUCKDB_PATH, also when dbt parses

roijai_dbt_project = DbtProject(project_dir=REPO_ROOT / "dbt_project")
roijai_dbt_project.prepare_if_dev()

DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"  # the dbt of the environment running us
