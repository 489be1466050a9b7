"""The Great Expectations checks of expectations.catalog as Dagster asset checks.

Every check carries its severity in its spec's metadata (dbt tests too, see assets/dbt.py):
an ERROR failure fails the run and, unless the check is about what is missing, blocks
publication; a WARN failure is reported. None uses Dagster's
`blocking` flag, which would skip the checks downstream of a failure: every check runs on
every run, and the gate reads the severities the run recorded (docs/quality.md).
"""

import dagster as dg

from expectations.catalog import CHECKS, QualityCheck
from expectations.outcome import CheckOutcome, Severity
from orchestration.names import BLOCKS_PUBLICATION_METADATA, SEVERITY_METADATA
from orchestration.resources import WarehouseResource

DAGSTER_SEVERITY = {
    Severity.ERROR: dg.AssetCheckSeverity.ERROR,
    Severity.WARN: dg.AssetCheckSeverity.WARN,
}


def check_result(outcome: CheckOutcome, severity: Severity) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=DAGSTER_SEVERITY[severity],
        description=outcome.summary,
        metadata={
            "observed": dg.MetadataValue.json(outcome.observed),
            "expected": dg.MetadataValue.json(outcome.expected),
            "failures": dg.MetadataValue.json(outcome.failures),
            "failure_count": dg.MetadataValue.int(outcome.failure_count),
        },
    )


def build_asset_check(check: QualityCheck) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(list(check.asset)),
        name=check.name,
        description=check.description,
        metadata={
            SEVERITY_METADATA: check.severity.value,
            BLOCKS_PUBLICATION_METADATA: check.blocks_publication,
        },
    )
    def run_check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as connection:
            outcome = check.run(connection)
        return check_result(outcome, check.severity)

    return run_check


quality_checks = [build_asset_check(check) for check in CHECKS]
