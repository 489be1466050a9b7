{{ config(
    materialized=growing_fact_materialization(),
    incremental_strategy='replace_partitions',
    unique_key='source_file_sha256',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_rows_not_current('agency') }}",
) }}
{#- One row per project budget line (a project in one village) in a target village, with its
    agency, fiscal year, and the village's phase and province. Lines in villages outside the
    register are set aside in fct_excluded_rows.

    Incremental, partitioned by file (no rule here spans files): a run reads only the agency
    files new to the table; a change of the register or the agency name variants rebuilds it
    all (macros/incremental_facts.sql). -#}
{%- set rebuild_all = rules_changed(village_lines_rules_fingerprint()) -%}
{%- set new_files = files_new_to_this('agency') -%}
with budget_lines as (
    select * from {{ ref('stg_agency__projects') }}
    {%- if is_incremental() and not rebuild_all %}
    where source_file_sha256 in {{ sha_list(new_files) }}
    {%- endif %}
),

rows_to_locate as (
    select
        'agency_projects' as table_name, budget_line_id as row_id, village_code,
        village_name_key, village_area_code
    from budget_lines
),

located as (
    select * from {{ located_rows('rows_to_locate') }} as located
    where is_target_village
),

agencies as (
    select name_used, agency_id, agency_name from {{ ref('int_agency_names_mapped') }}
),

villages as (
    select village_code, phase from {{ ref('int_register_villages') }}
),

final as (
    select
        budget_lines.budget_line_id,
        budget_lines.fiscal_year as fiscal_year_be,
        agencies.agency_id,
        agencies.agency_name,
        budget_lines.project_name,
        coalesce(budget_lines.category, 'unspecified') as category,
        located.village_code,
        villages.phase,
        substr(located.village_code, 1, 2) as province_code,
        budget_lines.budget_allocated,
        budget_lines.budget_disbursed,
        budget_lines.project_status,
        budget_lines.start_date,
        {{ lineage_of('budget_lines') }},
        {{ village_lines_rules_fingerprint() }} as rules_fingerprint,
        {{ this_run_started_at() }} as rebuilt_at
    from budget_lines
    inner join located on budget_lines.budget_line_id = located.row_id
    left join agencies on budget_lines.agency_name = agencies.name_used
    left join villages on located.village_code = villages.village_code
)

select * from final
