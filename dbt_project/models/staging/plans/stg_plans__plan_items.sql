with source as (
    select * from {{ source('plans', 'plan_items') }}
),

renamed as (
    select
        _file_sha256 || ':' || _sheet || ':' || cast(_row_number as {{ dbt.type_string() }})
            as plan_item_id,
        village_code,
        village_name_key,
        village_area_code,
        plan_date,
        plan_date_precision,
        item_no,
        problem,
        activity,
        requested_budget,
        responsible_agency,
        _file_sha256 as source_file_sha256,
        _file_name as source_file_name,
        _sheet as source_sheet,
        _row_number as source_row_number
    from source
)

select * from renamed
