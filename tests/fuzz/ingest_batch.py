"""Ingest a landing folder of every source kind in this process, and write what happened to a
JSON file: each file's outcome and seconds, the quarantine's reasons, the process's peak memory.
Run as ``python -m tests.fuzz.ingest_batch LANDING WAREHOUSE RESULT`` so that the bounds the test
asserts are this batch's alone."""

import json
import resource
import sys
import time
from pathlib import Path

import duckdb

from sources.contracts import load_contracts
from sources.ingest import ingest_folder
from sources.programme_seeds import programme_province_codes
from sources.resolve import GeographyResolver


def main(landing: Path, warehouse: Path, result: Path) -> None:
    resolver = GeographyResolver(programme_province_codes())
    files = []
    with duckdb.connect(str(warehouse)) as connection:
        for contract in load_contracts().values():
            started = [time.monotonic()]

            def timed(_number, _total, outcome, kind=contract.kind, started=started):
                now = time.monotonic()
                files.append(outcome_record(outcome, kind, now - started[0]))
                started[0] = now

            ingest_folder(connection, landing, contract, b"fuzz-key", resolver, progress=timed)
        reasons = connection.execute(
            "select file_name, reason, count(*) from raw.ingest_quarantine group by all"
        ).fetchall()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result.write_text(
        json.dumps({"files": files, "quarantine": reasons, "peak_mb": peak_mb}, ensure_ascii=False),
        encoding="utf-8",
    )


def outcome_record(outcome, kind: str, seconds: float) -> dict:
    return {
        "file": outcome.file_name,
        "kind": kind,
        "status": outcome.status,
        "error": outcome.error,
        "rows_read": outcome.rows_read,
        "rows_loaded": outcome.rows_loaded,
        "rows_quarantined": outcome.rows_quarantined,
        "seconds": seconds,
    }


if __name__ == "__main__":
    main(*(Path(argument) for argument in sys.argv[1:4]))
