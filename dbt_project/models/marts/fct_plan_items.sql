{#- One row per village development plan item. -#}
with plan_items as (
    select * from {{ ref('stg_plans__plan_items') }}
),

agencies as (
    select name_used, agency_name from {{ ref('int_agency_names_mapped') }}
),

final as (
    select
        plan_items.plan_item_id,
        plan_items.village_code,
        plan_items.plan_date,
        {{ thai_fiscal_year('plan_items.plan_date') }} as plan_fiscal_year_be,
        plan_items.item_no,
        plan_items.problem,
        plan_items.activity,
        plan_items.requested_budget,
        agencies.agency_name as responsible_agency_name,
        plan_items.source_file_name,
        plan_items.source_row_number
    from plan_items
    left join agencies on plan_items.responsible_agency = agencies.name_used
)

select * from final
