{#- One row per project budget line (a project in one village) in a target village, with its
    agency, fiscal year, and the village's phase and province. Lines in villages outside the
    register are set aside in fct_excluded_rows. -#}
with budget_lines as (
    select * from {{ ref('stg_agency__projects') }}
),

located as (
    select * from {{ ref('int_rows_located') }}
    where table_name = 'agency_projects' and is_target_village
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
        {{ lineage_of('budget_lines') }}
    from budget_lines
    inner join located on budget_lines.budget_line_id = located.row_id
    left join agencies on budget_lines.agency_name = agencies.name_used
    left join villages on located.village_code = villages.village_code
)

select * from final
