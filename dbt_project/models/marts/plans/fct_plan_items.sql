{#- One row per village development plan item in a target village. A plan date written to the
    month or the year only keeps that precision (plan_date is then the period's first day). -#}
with plan_items as (
    select * from {{ ref('stg_plans__plan_items') }}
),

located as (
    select * from {{ ref('int_rows_located') }}
    where table_name = 'plan_items' and is_target_village
),

agencies as (
    select name_used, agency_name from {{ ref('int_agency_names_mapped') }}
),

final as (
    select
        plan_items.plan_item_id,
        located.village_code,
        plan_items.plan_date,
        plan_items.plan_date_precision,
        {{ thai_fiscal_year('plan_items.plan_date') }} as plan_fiscal_year_be,
        plan_items.item_no,
        plan_items.problem,
        plan_items.activity,
        plan_items.requested_budget,
        agencies.agency_name as responsible_agency_name,
        {{ lineage_of('plan_items') }}
    from plan_items
    inner join located on plan_items.plan_item_id = located.row_id
    left join agencies on plan_items.responsible_agency = agencies.name_used
)

select * from final
