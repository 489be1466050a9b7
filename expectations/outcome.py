"""What a check found, in a form any caller (Dagster, a CLI, a test) can report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import pandas as pd

from expectations.thresholds import EXAMPLES_KEPT


class Severity(Enum):
    """ERROR blocks publication; WARN is reported and publication goes on."""

    ERROR = "error"
    WARN = "warn"


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    observed: object
    expected: object
    failures: list[str] = field(default_factory=list)
    failure_count: int = 0

    @classmethod
    def of(
        cls,
        passed: bool,
        observed: object,
        expected: object,
        failures: list[str],
        failure_count: int | None = None,
    ) -> CheckOutcome:
        """Keeps the first EXAMPLES_KEPT failure messages and the count of all failures: one
        per message, unless a message stands for several rows (``failure_count``)."""
        count = len(failures) if failure_count is None else failure_count
        return cls(passed, observed, expected, failures[:EXAMPLES_KEPT], count)

    @property
    def summary(self) -> str:
        if self.passed:
            return "passed"
        shown = "; ".join(self.failures[:3])
        more = self.failure_count - min(3, len(self.failures))
        return f"{shown}; and {more} more" if more > 0 else shown


def source_location(row: pd.Series) -> str:
    """Where a warehouse row came from: file, sheet and row (columns every staging model has)."""
    place = f"file {row['source_file_name']}, sheet {row['source_sheet']}"
    place += f", row {int(row['source_row_number'])}"
    if "village_code" in row and pd.notna(row["village_code"]):
        place += f" (village {row['village_code']})"
    return place
