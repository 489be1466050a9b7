{#- Survey figures per village and round (round 1 = the baseline data study). -#}
with surveys as (
    select * from {{ ref('fct_household_surveys') }}
),

final as (
    select
        village_code,
        survey_round,
        min(survey_fiscal_year_be) as survey_fiscal_year_be,
        max(survey_date) as last_survey_date,
        count(*) as households,
        cast(sum(members_count) as bigint) as population,
        {{ safe_divide('sum(income_total)', 'sum(members_count)') }} as income_per_person,
        {{ safe_divide(
            'count(*) filter (where is_below_bmn_line)',
            'count(*) filter (where is_below_bmn_line is not null)'
        ) }} as share_below_bmn_line,
        {{ safe_divide('sum(debt_total)', 'count(*)') }} as debt_per_household
    from surveys
    group by village_code, survey_round
)

select * from final
