{#- The budget of mart_budget broken down by village: fiscal year x agency x category x village. -#}
with budget_lines as (
    select * from {{ ref('fct_budget_lines') }}
),

final as (
    select
        fiscal_year_be,
        agency_id,
        agency_name,
        category,
        village_code,
        phase,
        province_code,
        count(distinct project_name) as projects,
        {{ budget_totals() }}
    from budget_lines
    group by
        fiscal_year_be, agency_id, agency_name, category, village_code, phase, province_code
)

select * from final
