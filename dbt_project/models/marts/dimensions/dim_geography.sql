{#- The geography of the programme as one hierarchy, province > district > subdistrict >
    village: one row per area with its official DOPA code, Thai and English names and its
    parents. Provinces, districts and subdistricts are the official lists of the programme's
    provinces; villages are the target villages of the register (no official village list). -#}
with subdistricts as (
    select * from {{ ref('stg_reference__subdistricts') }}
),

villages as (
    select village_code, village_name_th from {{ ref('int_register_villages') }}
),

areas as (
    select distinct
        'province' as geography_level,
        province_code as geography_code,
        province_name_th as name_th,
        province_name_en as name_en,
        cast(null as {{ dbt.type_string() }}) as parent_code,
        province_code,
        cast(null as {{ dbt.type_string() }}) as district_code,
        cast(null as {{ dbt.type_string() }}) as subdistrict_code
    from subdistricts
    union all
    select distinct
        'district', district_code, district_name_th, district_name_en, province_code,
        province_code, district_code, null
    from subdistricts
    union all
    select
        'subdistrict', subdistrict_code, subdistrict_name_th, subdistrict_name_en, district_code,
        province_code, district_code, subdistrict_code
    from subdistricts
    union all
    select
        'village', villages.village_code, villages.village_name_th, null,
        subdistricts.subdistrict_code, subdistricts.province_code, subdistricts.district_code,
        subdistricts.subdistrict_code
    from villages
    inner join subdistricts on substr(villages.village_code, 1, 6) = subdistricts.subdistrict_code
)

select * from areas
