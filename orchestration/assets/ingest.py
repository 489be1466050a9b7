"""Ingest assets: one per source kind, writing the raw tables the dbt sources read."""

from pathlib import Path

import dagster as dg

from expectations.quality_tables import ensure_quality_tables
from orchestration.resources import LandingResource, WarehouseResource
from sources.contracts import SourceContract, load_contracts
from sources.file_outcomes import FileOutcome
from sources.geography import (
    GEOGRAPHY_DATA_VERSION,
    REFERENCE_SCHEMA,
    write_geography_tables,
)
from sources.ingest import HeaderMappings, ingest_folder
from sources.programme_seeds import programme_province_codes
from sources.pseudonymize import load_key
from sources.raw_tables import (
    LEDGER,
    QUARANTINE,
    RESTRICTED_SCHEMA,
    restricted_columns,
    warehouse_tables,
)
from sources.resolve import GeographyResolver
from sources.settings import is_sample, settle_seconds

INGEST_GROUP = "ingest"
MAX_LOGGED_PROBLEMS = 20
PROPOSED_MAPPINGS = Path("mappings") / "proposed"  # in the data folder, for a person to review


def raw_asset_key(kind: str, table: str) -> dg.AssetKey:
    """The key dagster-dbt gives the dbt source of this table: [source name, table name]."""
    return dg.AssetKey([kind, table])


def restricted_asset_key(table: str) -> dg.AssetKey:
    """The key of the dbt source `restricted`: [source name, table name]."""
    return dg.AssetKey([RESTRICTED_SCHEMA, table])


def quarantine_examples(connection, outcomes: list[FileOutcome], limit: int) -> list[str]:
    """The first quarantined rows of these files, as 'file, sheet, row, column: reason'."""
    hashes = [o.file_sha256 for o in outcomes if o.rows_quarantined]
    if not hashes:
        return []
    rows = connection.execute(
        f"select file_name, sheet, row_number, column_name, reason from {QUARANTINE} "
        "where file_sha256 in (select unnest(?)) order by file_name, sheet, row_number limit ?",
        [hashes, limit],
    ).fetchall()
    return [f"{f}, sheet {s!r}, row {r}, column {c!r}: {reason}" for f, s, r, c, reason in rows]


def build_ingest_asset(contract: SourceContract) -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(
            raw_asset_key(contract.kind, table.table),
            group_name=INGEST_GROUP,
            kinds={"duckdb"},
            description=f"Rows of the {contract.kind} landing files (raw.{table.table}).",
        )
        for table in contract.tables
    ]
    specs += [
        dg.AssetSpec(
            restricted_asset_key(table.table),
            group_name=INGEST_GROUP,
            kinds={"duckdb"},
            description=f"Sensitive answers (PDPA s.26) of {table.table}: restricted only.",
        )
        for table in contract.tables
        if restricted_columns(table)
    ]

    @dg.multi_asset(name=f"ingest_{contract.kind}", specs=specs)
    def ingest(
        context: dg.AssetExecutionContext,
        warehouse: WarehouseResource,
        landing: LandingResource,
    ):
        folder = Path(landing.landing_dir) / contract.kind
        if not folder.is_dir():
            context.log.warning(f"landing folder {folder} does not exist: nothing to ingest")
        key = load_key(Path(landing.data_dir), may_generate=is_sample(Path(landing.landing_dir)))
        resolver = GeographyResolver(programme_province_codes())

        def progress(done: int, total: int, outcome: FileOutcome) -> None:
            if outcome.status == "unchanged":
                return  # counted once below: a run's log does not grow with the ledger
            log = context.log.warning if outcome.status == "failed" else context.log.info
            log(f"[{done}/{total}] {outcome}")

        mappings = HeaderMappings(proposals=Path(landing.data_dir) / PROPOSED_MAPPINGS)
        with warehouse.connect() as connection:
            outcomes = ingest_folder(
                connection,
                Path(landing.landing_dir),
                contract,
                key,
                resolver,
                progress,
                mappings,
                settle_seconds(Path(landing.landing_dir)),
            )
            unchanged = sum(1 for o in outcomes if o.status == "unchanged")
            if unchanged:
                context.log.info(f"{unchanged} of {len(outcomes)} files unchanged since loaded")
            ensure_quality_tables(connection)  # the volume check reads them from the first run
            for problem in quarantine_examples(connection, outcomes, MAX_LOGGED_PROBLEMS):
                context.log.warning(problem)
            totals = {
                spec.key: connection.execute(f"select count(*) from {table_name}").fetchone()[0]
                for spec, table_name in zip(
                    specs, warehouse_tables(contract), strict=True
                )  # same order
            }
        run = {
            "files": len(outcomes),
            "files_failed": [f"{o.file_name}: {o.error}" for o in outcomes if o.status == "failed"],
            "files_duplicate": [o.file_name for o in outcomes if o.status == "duplicate"],
            "files_arriving": [o.file_name for o in outcomes if o.status == "arriving"],
            "files_partial": [str(o) for o in outcomes if o.status == "partial"],
            "rows_read": sum(o.rows_read for o in outcomes),
            "rows_loaded": sum(o.rows_loaded for o in outcomes),
            "rows_quarantined": sum(o.rows_quarantined for o in outcomes),
            "unknown_headers": sorted({h for o in outcomes for h in o.unknown_headers}),
        }
        for asset_key, rows in totals.items():
            yield dg.MaterializeResult(asset_key=asset_key, metadata={"rows": rows, **run})

    return ingest


INGEST_LEDGERS = ("ingest_ledger", "ingest_sheets")


def build_ledger_asset(ingests: list[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """The ingest ledgers every ingest asset writes, as assets of their own (the dbt source
    `ingest`): materialized after the last ingest, with the files per status."""

    @dg.multi_asset(
        name="ingest_ledgers",
        specs=[
            dg.AssetSpec(
                dg.AssetKey(["ingest", name]),
                group_name=INGEST_GROUP,
                kinds={"duckdb"},
                deps=[key for ingest in ingests for key in ingest.keys],
                description=f"raw.{name}: what became of every landing file and sheet.",
            )
            for name in INGEST_LEDGERS
        ],
    )
    def ingest_ledgers(warehouse: WarehouseResource):
        with warehouse.connect(read_only=True) as connection:
            statuses = dict(
                connection.execute(
                    f"select status, count(*) from {LEDGER} group by status order by status"
                ).fetchall()
            )
            not_read = [
                f"{name} ({status})"
                for name, status in connection.execute(
                    f"select file_name, status from {LEDGER} "
                    "where status in ('failed', 'partial') order by file_name"
                ).fetchall()
            ]
        for name in INGEST_LEDGERS:
            yield dg.MaterializeResult(
                asset_key=["ingest", name],
                metadata={"files": dg.MetadataValue.json(statuses), "files_not_read": not_read},
            )

    return ingest_ledgers


ingest_assets = [build_ingest_asset(contract) for contract in load_contracts().values()]
ingest_ledgers = build_ledger_asset(ingest_assets)

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
    with warehouse.connect() as connection:
        rows = write_geography_tables(connection, programme_province_codes())
    for name in GEOGRAPHY_TABLES:
        yield dg.MaterializeResult(
            asset_key=[REFERENCE_SCHEMA, name],
            metadata={"rows": rows[name], "geothai_data_version": GEOGRAPHY_DATA_VERSION},
        )
