{#- Survey figures per village and calendar round (round 1 = the baseline data study), with
    the day the village's first questionnaire of the round was received. A questionnaire in a
    fiscal year with no round of its village's phase belongs to no round. -#}
with surveys as (
    select * from {{ ref('int_counted_household_surveys') }}
    where survey_round is not null
),

final as (
    select
        village_code,
        survey_round,
        min(survey_fiscal_year_be) as survey_fiscal_year_be,
        max(survey_date) as last_survey_date,
        min(received_on) as first_received_on,
        count(*) as households,
        cast(sum(members_count) as bigint) as population,
        {{ money_per('sum(income_total)', 'sum(members_count)') }} as income_per_person,
        {{ safe_divide(
            'count(*) filter (where is_below_bmn_line)',
            'count(*) filter (where is_below_bmn_line is not null)'
        ) }} as share_below_bmn_line,
        {{ money_per('sum(debt_total)', 'count(*)') }} as debt_per_household
    from surveys
    group by village_code, survey_round
)

select * from final
