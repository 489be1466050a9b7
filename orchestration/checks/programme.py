"""The programme's targets as blocking asset checks (Great Expectations in expectations/)."""

import dagster as dg

from expectations.outcome import CheckOutcome
from expectations.programme import check_phase_targets, check_province_coverage
from orchestration.resources import WarehouseResource


def check_result(outcome: CheckOutcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=outcome.summary,
        metadata={
            "observed": dg.MetadataValue.json(outcome.observed),
            "expected": dg.MetadataValue.json(outcome.expected),
            "failures": dg.MetadataValue.json(outcome.failures),
        },
    )


@dg.asset_check(
    asset=dg.AssetKey("mart_phase"),
    blocking=True,
    description="Per phase, villages, subdistricts and districts equal the programme_targets seed.",
)
def phase_targets_met(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as connection:
        mart_phase = connection.sql("select * from mart_phase order by phase").df()
    return check_result(check_phase_targets(mart_phase))


@dg.asset_check(
    asset=dg.AssetKey("mart_village"),
    blocking=True,
    description="The target villages cover exactly the provinces of the programme_provinces seed.",
)
def programme_provinces_covered(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as connection:
        villages = connection.sql("select province_code from mart_village").df()
        provinces = connection.sql("select province_code from reference.programme_provinces").df()
    outcome = check_province_coverage(
        villages["province_code"], provinces["province_code"].astype(str).tolist()
    )
    return check_result(outcome)


programme_checks = [phase_targets_met, programme_provinces_covered]
