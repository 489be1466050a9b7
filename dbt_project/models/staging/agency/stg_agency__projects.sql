with source as (
    select * from {{ source('agency', 'agency_projects') }}
),

renamed as (
    select
        _file_sha256 || ':' || _sheet || ':' || cast(_row_number as {{ dbt.type_string() }})
            as budget_line_id,
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
        _file_sha256 as source_file_sha256,
        _file_name as source_file_name,
        _sheet as source_sheet,
        _row_number as source_row_number
    from source
)

select * from renamed
