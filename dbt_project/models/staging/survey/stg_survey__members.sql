with source as (
    select * from {{ source('survey', 'survey_members') }}
),

renamed as (
    select
        {{ source_row_id() }} as member_id,
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
        {{ lineage_columns() }}
    from source
)

select * from renamed
