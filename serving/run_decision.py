"""Whether a pipeline run may be published, and why: decided here, once, and read by the run's
record in quality.pipeline_runs, the quality report, the alert and the publication.

A run is publishable if it succeeded, its checks were recorded, and no check that blocks
publication failed. It is green only if, besides, no check of severity error failed at all: an
error about what is missing (a report due, a file not read) publishes what passed and still
fails the run, saying what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from expectations.results import (
    CheckRecord,
    blocking_failures,
    error_failures,
    missing_failures,
)

NAMED_IN_MESSAGE = 5  # the failed checks a message names; the report lists them all


@dataclass(frozen=True)
class RunDecision:
    succeeded: bool
    records: list[CheckRecord]
    publishable: bool
    green: bool
    message: str  # why: the first step failure, the blocking checks, what is missing

    @property
    def verdict(self) -> str:
        """The message, saying first what it means for the publication (for the report)."""
        if self.publishable:
            return self.message
        return f"nothing is published from this run: {self.message}"

    @property
    def checks_failed_error(self) -> int:
        return len(error_failures(self.records))

    @property
    def checks_failed_warn(self) -> int:
        return sum(record.status == "failed (warn)" for record in self.records)


def _named(records: list[CheckRecord], separator: str) -> str:
    return separator.join(f"{r.asset_key} {r.check_name}" for r in records[:NAMED_IN_MESSAGE])


def decide(
    records: list[CheckRecord],
    step_failure: str | None = None,
    unrecorded: str | None = None,
) -> RunDecision:
    """The decision for a run from its check records; `step_failure` says why the run failed
    (None: it succeeded), `unrecorded` why its checks could not be stored (None: they were)."""
    blocking, missing = blocking_failures(records), missing_failures(records)
    if step_failure is not None:
        message = step_failure
    elif unrecorded is not None:
        message = f"its checks could not be recorded in the warehouse: {unrecorded}"
    elif not records:
        message = "no check results were recorded for this run"
    elif blocking:
        message = f"{len(blocking)} blocking check(s) failed: {_named(blocking, ', ')}"
    elif missing:
        message = (
            f"{len(missing)} check(s) of what is due failed, what passed is published: "
            + _named(missing, "; ")
        )
    else:
        message = "all checks of severity error passed"
    publishable = step_failure is None and unrecorded is None and bool(records) and not blocking
    return RunDecision(
        succeeded=step_failure is None,
        records=records,
        publishable=publishable,
        green=publishable and not missing,
        message=message,
    )
