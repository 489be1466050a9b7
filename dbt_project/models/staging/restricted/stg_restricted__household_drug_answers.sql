{{ config(schema='restricted') }}
with source as (
    select * from {{ source('restricted', 'survey_households') }}
),

renamed as (
    select
        _file_sha256 as source_file_sha256,
        _sheet as source_sheet,
        _row_number as source_row_number,
        village_code,
        lower(drug_use) in ('yes', '1', 'true', 'ใช่', 'มี') as has_drug_use,
        lower(drug_treatment) in ('yes', '1', 'true', 'ใช่', 'มี') as has_drug_treatment,
        lower(drug_arrest) in ('yes', '1', 'true', 'ใช่', 'มี') as has_drug_arrest
    from source
)

select * from renamed
