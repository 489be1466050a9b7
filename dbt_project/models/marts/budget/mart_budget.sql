{#- Budget per fiscal year (B.E.) x agency x category x phase x province, over the budget
    lines of target villages (fct_budget_lines). -#}
with budget_lines as (
    select * from {{ ref('fct_budget_lines') }}
),

final as (
    select
        fiscal_year_be,
        agency_id,
        agency_name,
        category,
        phase,
        province_code,
        count(distinct project_name) as projects,
        count(distinct village_code) as villages_reached,
        {{ budget_totals() }}
    from budget_lines
    group by fiscal_year_be, agency_id, agency_name, category, phase, province_code
)

select * from final
