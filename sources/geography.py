"""Official geography (DOPA codes) of the programme's provinces, from the geothai package.

Data: GeoThai (https://github.com/GeoThai/data), CC BY 4.0, from the Department of Provincial
Administration. Villages are not in it: they come from the programme's own register.
"""

from __future__ import annotations

import duckdb
import geothai
import pandas as pd
from geothai.abolished import abolished_areas

GEOGRAPHY_DATA_VERSION = geothai.DATA_VERSION
REFERENCE_SCHEMA = "reference"


def geography_tables(province_codes: list[str]) -> dict[str, pd.DataFrame]:
    """Provinces, districts, subdistricts and abolished (renumbered) codes, as tables."""
    provinces = [geothai.province(code) for code in province_codes]
    if None in provinces:
        unknown = [c for c, p in zip(province_codes, provinces, strict=True) if p is None]
        raise ValueError(f"unknown province codes: {unknown}")
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    subdistricts = [s for d in districts for s in geothai.subdistricts(d.code)]
    abolished = [a for a in abolished_areas() if a.code[:2] in province_codes]
    return {
        "geo_provinces": pd.DataFrame(
            [(p.code, p.name_th, p.name_en) for p in provinces],
            columns=["province_code", "province_name_th", "province_name_en"],
        ),
        "geo_districts": pd.DataFrame(
            [(d.code, d.name_th, d.name_en, d.province_code) for d in districts],
            columns=["district_code", "district_name_th", "district_name_en", "province_code"],
        ),
        "geo_subdistricts": pd.DataFrame(
            [
                (s.code, s.name_th, s.name_en, s.district_code, s.province_code)
                for s in subdistricts
            ],
            columns=[
                "subdistrict_code",
                "subdistrict_name_th",
                "subdistrict_name_en",
                "district_code",
                "province_code",
            ],
        ),
        "geo_abolished": pd.DataFrame(
            [
                (a.code, a.level, a.name_th, a.name_en, a.abolished_on, " ".join(a.successors))
                for a in abolished
            ],
            columns=["code", "level", "name_th", "name_en", "abolished_on", "successor_codes"],
        ),
    }


def write_geography_tables(
    connection: duckdb.DuckDBPyConnection, province_codes: list[str]
) -> dict[str, int]:
    """(Re)create the geography tables in the reference schema; returns their row counts."""
    connection.execute(f"create schema if not exists {REFERENCE_SCHEMA}")
    counts = {}
    for name, frame in geography_tables(province_codes).items():
        connection.register("incoming_rows", frame)
        connection.execute(
            f"create or replace table {REFERENCE_SCHEMA}.{name} as select * from incoming_rows"
        )
        connection.unregister("incoming_rows")
        counts[name] = len(frame)
    return counts
