"""What a check found, in a form any caller (Dagster, a CLI, a test) can report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    observed: object
    expected: object
    failures: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return "passed" if self.passed else "; ".join(self.failures)
