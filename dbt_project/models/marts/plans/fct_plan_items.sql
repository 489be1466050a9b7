{{ config(
    materialized=growing_fact_materialization(),
    incremental_strategy='replace_partitions',
    unique_key='source_file_sha256',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_rows_not_current('plans') }}",
) }}
{#- One row per village development plan item in a target village. A plan date written to the
    month or the year only keeps that precision (plan_date is then the period's first day).

    Incremental, partitioned by file (no rule here spans files): a run reads only the plan
    files new to the table; a change of the register or the agency name variants rebuilds it
    all (macros/incremental_facts.sql). -#}
{%- set rebuild_all = rules_changed(village_lines_rules_fingerprint()) -%}
{%- set new_files = files_new_to_this('plans') -%}
with plan_items as (
    select * from {{ ref('stg_plans__plan_items') }}
    {%- if is_incremental() and not rebuild_all %}
    where source_file_sha256 in {{ sha_list(new_files) }}
    {%- endif %}
),

rows_to_locate as (
    select
        'plan_items' as table_name, plan_item_id as row_id, village_code, village_name_key,
        village_area_code
    from plan_items
),

located as (
    select * from {{ located_rows('rows_to_locate') }} as located
    where is_target_village
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
        {{ lineage_of('plan_items') }},
        {{ village_lines_rules_fingerprint() }} as rules_fingerprint,
        {{ this_run_started_at() }} as rebuilt_at
    from plan_items
    inner join located on plan_items.plan_item_id = located.row_id
    left join agencies on plan_items.responsible_agency = agencies.name_used
)

select * from final
