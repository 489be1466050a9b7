{{ config(schema='restricted') }}
with source as (
    select * from {{ source('restricted', 'survey_households') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        village_code,
        {{ is_yes_answer('drug_use') }} as has_drug_use,
        {{ is_yes_answer('drug_treatment') }} as has_drug_treatment,
        {{ is_yes_answer('drug_arrest') }} as has_drug_arrest
    from source
)

select * from renamed
