"""Check results over time: one row per check per run in the warehouse table check_results.

Dagster-free: callers turn their check evaluations into CheckRecords and store them here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from expectations.quality_tables import CHECK_RESULTS, CHECK_RESULTS_COLUMNS, ensure_quality_tables

NOT_RUN = "not run: a step it depends on failed or was skipped"


@dataclass(frozen=True)
class CheckRecord:
    check_name: str
    asset_key: str
    source: str
    severity: str
    passed: bool | None
    observed: object = None
    expected: object = None
    details: str = ""
    blocks_publication: bool = True  # for a failure of severity error

    @property
    def status(self) -> str:
        if self.passed is None:
            return "not run"
        return "passed" if self.passed else f"failed ({self.severity})"


def store_check_results(
    connection: duckdb.DuckDBPyConnection,
    run_id: str,
    run_started_at: datetime,
    records: list[CheckRecord],
) -> None:
    """Replace the run's rows with these records (storing a run twice keeps one row a check)."""
    ensure_quality_tables(connection)
    connection.execute("begin transaction")
    connection.execute(f"delete from {CHECK_RESULTS} where run_id = ?", [run_id])
    rows = [
        (
            run_id,
            run_started_at,
            record.check_name,
            record.asset_key,
            record.source,
            record.severity,
            record.blocks_publication,
            record.passed,
            json.dumps(record.observed, ensure_ascii=False, default=str),
            json.dumps(record.expected, ensure_ascii=False, default=str),
            record.details,
        )
        for record in records
    ]
    if rows:
        placeholders = ", ".join("?" for _ in CHECK_RESULTS_COLUMNS)
        names = ", ".join(CHECK_RESULTS_COLUMNS)
        connection.executemany(
            f"insert into {CHECK_RESULTS} ({names}) values ({placeholders})", rows
        )
    connection.execute("commit")


def run_records(connection: duckdb.DuckDBPyConnection, run_id: str) -> list[CheckRecord]:
    """The run's records, failures first, then checks that did not run, then passes."""
    rows = connection.execute(
        "select check_name, asset_key, source, severity, passed, observed, expected, details, "
        f"coalesce(blocks_publication, true) from {CHECK_RESULTS} where run_id = ? "
        "order by case when not passed then 0 when passed is null then 1 else 2 end, "
        "severity, asset_key, check_name",
        [run_id],
    ).fetchall()
    return [
        CheckRecord(
            name, asset, source, severity, passed, json.loads(obs), json.loads(exp), det, blocks
        )
        for name, asset, source, severity, passed, obs, exp, det, blocks in rows
    ]


def error_failures(records: list[CheckRecord]) -> list[CheckRecord]:
    """The failed checks of severity error: each one makes the run fail."""
    return [record for record in records if record.passed is False and record.severity == "error"]


def blocking_failures(records: list[CheckRecord]) -> list[CheckRecord]:
    """The failed checks that block publication: errors about the warehouse's numbers."""
    return [record for record in error_failures(records) if record.blocks_publication]


def missing_failures(records: list[CheckRecord]) -> list[CheckRecord]:
    """The failed errors about what is missing: the run fails, what passed is published."""
    return [record for record in error_failures(records) if not record.blocks_publication]


def status_counts(records: list[CheckRecord]) -> dict[str, int]:
    counts = {"passed": 0, "failed (error)": 0, "failed (warn)": 0, "not run": 0}
    for record in records:
        counts[record.status] += 1
    return counts


def describe_counts(counts: dict[str, int]) -> str:
    """ "90 passed, 1 failed (error)": the outcomes that occurred, with their counts."""
    return ", ".join(f"{count} {status}" for status, count in counts.items() if count)


def check_summary(records: list[CheckRecord]) -> dict:
    """Counts by outcome and the checks that did not pass, for a manifest or a log line."""
    counts = status_counts(records)
    not_passed = {
        status: [f"{r.asset_key} {r.check_name}" for r in records if r.status == status]
        for status in ("failed (error)", "failed (warn)", "not run")
    }
    return {"counts": counts, **{k: v for k, v in not_passed.items() if v}}
