"""Ingest assets: one per source kind, writing the raw tables the dbt sources read."""

from pathlib import Path

import dagster as dg

from orchestration.resources import LandingResource, WarehouseResource
from sources.contracts import SourceContract, load_contracts
from sources.geography import GEOGRAPHY_DATA_VERSION, geography_tables
from sources.ingest import landing_files, read_landing_file, write_raw_tables
from sources.programme import programme_province_codes
from sources.pseudonymize import load_key

INGEST_GROUP = "ingest"
REFERENCE_SCHEMA = "reference"
MAX_LOGGED_PROBLEMS = 20


def raw_asset_key(kind: str, table: str) -> dg.AssetKey:
    """The key dagster-dbt gives the dbt source of this table: [source name, table name]."""
    return dg.AssetKey([kind, table])


def build_ingest_asset(contract: SourceContract) -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(
            raw_asset_key(contract.kind, table.table),
            group_name=INGEST_GROUP,
            kinds={"duckdb"},
            description=f"Rows of the {contract.kind} landing files, as read (raw.{table.table}).",
        )
        for table in contract.tables
    ]

    @dg.multi_asset(name=f"ingest_{contract.kind}", specs=specs)
    def ingest(
        context: dg.AssetExecutionContext,
        warehouse: WarehouseResource,
        landing: LandingResource,
    ):
        files = landing_files(Path(landing.landing_dir), contract.kind)
        if not files:
            context.log.warning(
                f"no {contract.kind} files in {landing.landing_dir}/{contract.kind}"
            )
        key = load_key(Path(landing.data_dir))
        results = [read_landing_file(path, contract, key) for path in files]
        problems = [r.error for r in results if r.error]
        problems += [str(row) for r in results for row in r.rejected]
        for problem in problems[:MAX_LOGGED_PROBLEMS]:
            context.log.warning(problem)
        with warehouse.connect() as connection:
            counts = write_raw_tables(connection, contract, results)
        for table in contract.tables:
            yield dg.MaterializeResult(
                asset_key=raw_asset_key(contract.kind, table.table),
                metadata={
                    "rows": counts[table.table],
                    "files": len(files),
                    "failed_files": [r.path.name for r in results if r.error],
                    "rejected_rows": sum(len(r.rejected) for r in results),
                    "unknown_headers": sorted({h for r in results for h in r.unknown_headers}),
                },
            )

    return ingest


ingest_assets = [build_ingest_asset(contract) for contract in load_contracts().values()]

GEOGRAPHY_TABLES = ("geo_provinces", "geo_districts", "geo_subdistricts", "geo_abolished")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            dg.AssetKey([REFERENCE_SCHEMA, name]),
            group_name=INGEST_GROUP,
            kinds={"duckdb"},
            description="Official DOPA geography from geothai (data: GeoThai, CC BY 4.0).",
        )
        for name in GEOGRAPHY_TABLES
    ]
)
def reference_geography(warehouse: WarehouseResource):
    tables = geography_tables(programme_province_codes())
    with warehouse.connect() as connection:
        connection.execute(f"create schema if not exists {REFERENCE_SCHEMA}")
        for name in GEOGRAPHY_TABLES:
            frame = tables[name]
            connection.register("incoming_rows", frame)
            connection.execute(
                f"create or replace table {REFERENCE_SCHEMA}.{name} as select * from incoming_rows"
            )
            connection.unregister("incoming_rows")
            yield dg.MaterializeResult(
                asset_key=[REFERENCE_SCHEMA, name],
                metadata={"rows": len(frame), "geothai_data_version": GEOGRAPHY_DATA_VERSION},
            )
