with source as (
    select * from {{ source('agency', 'agency_projects') }}
),

renamed as (
    select
        {{ source_row_id() }} as budget_line_id,
        fiscal_year,
        agency_name,
        project_name,
        category,
        village_code,
        village_code_reported,
        village_resolution,
        village_name_key,
        village_area_code,
        budget_allocated,
        budget_disbursed,
        status as project_status,
        start_date,
        end_date,
        {{ lineage_columns() }}
    from source
)

select * from renamed
