with subdistricts as (
    select * from {{ source('reference', 'geo_subdistricts') }}
),

districts as (
    select * from {{ source('reference', 'geo_districts') }}
),

provinces as (
    select * from {{ source('reference', 'geo_provinces') }}
),

joined as (
    select
        subdistricts.subdistrict_code,
        subdistricts.subdistrict_name_th,
        subdistricts.subdistrict_name_en,
        districts.district_code,
        districts.district_name_th,
        districts.district_name_en,
        provinces.province_code,
        provinces.province_name_th,
        provinces.province_name_en
    from subdistricts
    inner join districts on subdistricts.district_code = districts.district_code
    inner join provinces on districts.province_code = provinces.province_code
)

select * from joined
