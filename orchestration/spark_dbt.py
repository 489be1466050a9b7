"""dbt commands on the spark target in one process, so that they share one Spark session and
its catalog in memory (dbt-spark's `session` method starts Spark inside dbt's process and
never stops it): `run-operation register_parquet_sources` makes the sources views over their
Parquet copies, then `build` reads them. Started by orchestration/spark_build.py with the
commands as a JSON list of argument lists; dies with it (orchestration/dbt_child.py).
"""

import json
import sys

from dbt.cli.main import dbtRunner

from orchestration.dbt_child import die_with_parent


def main(commands: list[list[str]]) -> int:
    die_with_parent()
    runner = dbtRunner()
    for arguments in commands:
        if not runner.invoke(arguments).success:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
