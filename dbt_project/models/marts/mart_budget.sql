{#- Budget per fiscal year x agency x phase. Lines for villages outside the register keep
    a null phase, so the totals still add up to every budget line loaded. -#}
with budget_lines as (
    select * from {{ ref('stg_agency__projects') }}
),

villages as (
    select village_code, phase from {{ ref('stg_register__villages') }}
),

final as (
    select
        budget_lines.fiscal_year,
        budget_lines.agency_name,
        villages.phase,
        count(distinct budget_lines.project_name) as projects,
        count(distinct budget_lines.village_code) as villages_reached,
        sum(budget_lines.budget_allocated) as budget_allocated,
        sum(budget_lines.budget_disbursed) as budget_disbursed
    from budget_lines
    left join villages on budget_lines.village_code = villages.village_code
    group by all
)

select * from final
