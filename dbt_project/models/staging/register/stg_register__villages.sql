with source as (
    select * from {{ source('register', 'register_villages') }}
),

renamed as (
    select
        village_code,
        village_code_reported,
        village_resolution,
        phase,
        village_name as village_name_th,
        village_name_key,
        moo_no,
        province_name as province_name_reported,
        district_name as district_name_reported,
        subdistrict_name as subdistrict_name_reported,
        partner_organisation,
        community_vote_date,
        community_vote_result,
        {{ lineage_columns() }}
    from source
)

select * from renamed
