with source as (
    select * from {{ source('plans', 'plan_items') }}
),

renamed as (
    select
        {{ source_row_id() }} as plan_item_id,
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
        {{ lineage_columns() }}
    from source
)

select * from renamed
