"""The Great Expectations checks of expectations.catalog as Dagster asset checks.

Every check carries its severity in its spec's metadata (dbt tests too, see assets/dbt.py):
an ERROR failure fails the run and, unless the check is about what is missing, blocks
publication; a WARN failure is reported. None uses Dagster's
`blocking` flag, which would skip the checks downstream of a failure: every check runs on
every run, and the gate reads the severities the run recorded (docs/quality.md).

The checks run in two steps, not one step each (a step costs Dagster a tenth of a second and a
connection): the checks of the ingested tables as soon as the ingest is done, the checks of the
dbt models after dbt. A check that raises does not stop the others of its step: the step fails
afterwards, naming it.
"""

from collections.abc import Iterable

import dagster as dg

from expectations.catalog import CHECKS, QualityCheck
from expectations.outcome import CheckOutcome, Severity
from orchestration.names import BLOCKS_PUBLICATION_METADATA, SEVERITY_METADATA
from orchestration.resources import WarehouseResource

DAGSTER_SEVERITY = {
    Severity.ERROR: dg.AssetCheckSeverity.ERROR,
    Severity.WARN: dg.AssetCheckSeverity.WARN,
}


def asset_key(check: QualityCheck) -> dg.AssetKey:
    """The key of the asset the check judges."""
    return dg.AssetKey(list(check.asset))


def check_key(check: QualityCheck) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(asset_key(check), check.name)


def check_result(check: QualityCheck, outcome: CheckOutcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=asset_key(check),
        check_name=check.name,
        passed=outcome.passed,
        severity=DAGSTER_SEVERITY[check.severity],
        description=outcome.summary,
        metadata={
            "observed": dg.MetadataValue.json(outcome.observed),
            "expected": dg.MetadataValue.json(outcome.expected),
            "failures": dg.MetadataValue.json(outcome.failures),
            "failure_count": dg.MetadataValue.int(outcome.failure_count),
        },
    )


def build_check_step(name: str, checks: list[QualityCheck]) -> dg.AssetChecksDefinition:
    """One step that runs ``checks`` (those of them selected) on one read-only connection."""
    specs = [
        dg.AssetCheckSpec(
            check.name,
            asset=asset_key(check),
            description=check.description,
            metadata={
                SEVERITY_METADATA: check.severity.value,
                BLOCKS_PUBLICATION_METADATA: check.blocks_publication,
            },
        )
        for check in checks
    ]

    @dg.multi_asset_check(name=name, specs=specs, can_subset=True)
    def run_checks(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> Iterable[dg.AssetCheckResult]:
        selected = context.selected_asset_check_keys
        crashed = []
        with warehouse.connect(read_only=True) as connection:
            for check in checks:
                if check_key(check) not in selected:
                    continue
                try:
                    outcome = check.run(connection)
                except Exception as error:  # the others still run; the step fails below
                    context.log.error(f"check {check.name} of {check.asset} raised: {error!r}")
                    crashed.append(f"{'.'.join(check.asset)} {check.name}: {type(error).__name__}")
                    continue
                yield check_result(check, outcome)
        if crashed:
            raise dg.Failure("checks that could not run:\n" + "\n".join(crashed))

    return run_checks


def build_quality_checks(ingested: set[dg.AssetKey]) -> list[dg.AssetChecksDefinition]:
    """The check steps: one for the checks of ``ingested`` assets, one for the rest."""
    of_ingest = [c for c in CHECKS if asset_key(c) in ingested]
    of_models = [c for c in CHECKS if asset_key(c) not in ingested]
    return [
        build_check_step("ingest_quality_checks", of_ingest),
        build_check_step("warehouse_quality_checks", of_models),
    ]
