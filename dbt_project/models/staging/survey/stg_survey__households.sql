with source as (
    select * from {{ source('survey', 'survey_households') }}
),

renamed as (
    select
        _file_sha256 || ':' || submission_id as household_survey_id,
        submission_uuid,
        submission_index,
        _file_sha256 as source_file_sha256,
        survey_date,
        village_code,
        house_code_hash,
        head_citizen_id_hash,
        head_citizen_id_is_valid,
        members_count,
        income_agriculture,
        income_wage,
        income_other,
        coalesce(income_agriculture, 0) + coalesce(income_wage, 0) + coalesce(income_other, 0)
            as income_total,
        household_cost,
        debt_total,
        problems,
        _file_name as source_file_name,
        _sheet as source_sheet,
        _row_number as source_row_number
    from source
)

select * from renamed
