with source as (
    select * from {{ source('survey', 'survey_members') }}
),

renamed as (
    select
        _file_sha256 || ':' || _sheet || ':' || cast(_row_number as {{ dbt.type_string() }})
            as member_id,
        _file_sha256 as source_file_sha256,
        submission_uuid,
        parent_index,
        parent_key,
        member_index,
        member_key,
        citizen_id_hash,
        citizen_id_is_valid,
        sex,
        birth_date,
        birth_date_precision,
        education,
        occupation,
        _file_name as source_file_name,
        _sheet as source_sheet,
        _row_number as source_row_number
    from source
)

select * from renamed
