{#- One row per project budget line (a project in one village), with its agency, fiscal year,
    and the village's phase and province. Lines outside the register keep a null phase. -#}
with budget_lines as (
    select * from {{ ref('stg_agency__projects') }}
),

agencies as (
    select name_used, agency_id, agency_name from {{ ref('int_agency_names_mapped') }}
),

villages as (
    select village_code, phase from {{ ref('stg_register__villages') }}
),

final as (
    select
        budget_lines.budget_line_id,
        budget_lines.fiscal_year as fiscal_year_be,
        agencies.agency_id,
        agencies.agency_name,
        budget_lines.project_name,
        coalesce(budget_lines.category, 'unspecified') as category,
        budget_lines.village_code,
        villages.phase,
        substr(budget_lines.village_code, 1, 2) as province_code,
        villages.village_code is not null as is_target_village,
        budget_lines.budget_allocated,
        budget_lines.budget_disbursed,
        budget_lines.project_status,
        budget_lines.start_date,
        budget_lines.source_file_name,
        budget_lines.source_sheet,
        budget_lines.source_row_number
    from budget_lines
    left join agencies on budget_lines.agency_name = agencies.name_used
    left join villages on budget_lines.village_code = villages.village_code
)

select * from final
