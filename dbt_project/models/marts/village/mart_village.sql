{#- One row per target village: where it is, its phase and partner, its baseline and latest
    survey figures and the change between them, its development plan, the agencies' budget,
    and its reporting status: of the survey rounds and the plan due from it by the evaluation
    date (fct_expected_reports), what was received, on time, and what is missing. -#}
with villages as (
    select * from {{ ref('int_register_villages') }}
),

geography as (
    select * from {{ ref('stg_reference__subdistricts') }}
),

rounds as (
    select * from {{ ref('int_village_survey_rounds') }}
),

round_span as (
    select village_code, max(survey_round) as last_round
    from rounds
    group by village_code
),

questionnaires as (
    select village_code, count(*) as household_questionnaires
    from {{ ref('fct_household_surveys') }}
    group by village_code
),

reporting as (
    select
        village_code,
        count(*) filter (where source_kind = 'survey' and is_due) as survey_rounds_due,
        count(*) filter (where source_kind = 'survey' and is_due and is_received)
            as survey_rounds_received,
        count(*) filter (where source_kind = 'survey' and is_due and is_on_time)
            as survey_rounds_on_time,
        count(*) filter (where is_due) as reports_due,
        count(*) filter (where is_due and is_on_time) as reports_on_time,
        count(*) filter (where is_missing) as reports_missing,
        {{ dbt.listagg('case when is_missing then report end', "'; '", 'order by due_date, report') }}
            as missing_reports
    from {{ ref('fct_expected_reports') }}
    where village_code is not null
    group by village_code
),

budget as (
    select
        village_code,
        count(distinct project_name) as projects,
        {{ money('sum(budget_allocated)') }} as budget_allocated,
        {{ money('sum(budget_disbursed)') }} as budget_disbursed
    from {{ ref('fct_budget_lines') }}
    group by village_code
),

plans as (
    select
        village_code,
        max(plan_date) as plan_date,
        count(*) as plan_items,
        {{ money('sum(requested_budget)') }} as plan_requested_budget
    from {{ ref('fct_plan_items') }}
    group by village_code
),

agencies as (
    select name_used, agency_name from {{ ref('int_agency_names_mapped') }}
),

final as (
    select
        villages.village_code,
        villages.phase,
        villages.village_name_th,
        villages.moo_no,
        substr(villages.village_code, 1, 6) as subdistrict_code,
        geography.subdistrict_name_th,
        geography.subdistrict_name_en,
        substr(villages.village_code, 1, 4) as district_code,
        geography.district_name_th,
        geography.district_name_en,
        substr(villages.village_code, 1, 2) as province_code,
        geography.province_name_th,
        geography.province_name_en,
        coalesce(agencies.agency_name, villages.partner_organisation) as partner_organisation,
        villages.community_vote_date,
        villages.community_vote_result,
        -- surveys: the baseline (round 1) and the latest round
        baseline.households is not null as is_surveyed,
        coalesce(questionnaires.household_questionnaires, 0) as household_questionnaires,
        coalesce(baseline.households, 0) as baseline_households,
        coalesce(baseline.population, 0) as baseline_population,
        baseline.last_survey_date as baseline_survey_date,
        baseline.income_per_person as baseline_income_per_person,
        baseline.share_below_bmn_line as baseline_share_below_bmn_line,
        baseline.debt_per_household as baseline_debt_per_household,
        latest.survey_round as latest_survey_round,
        latest.last_survey_date as latest_survey_date,
        latest.households as latest_households,
        latest.income_per_person as latest_income_per_person,
        latest.share_below_bmn_line as latest_share_below_bmn_line,
        latest.debt_per_household as latest_debt_per_household,
        {{ money('latest.income_per_person - baseline.income_per_person') }}
            as income_per_person_change,
        latest.share_below_bmn_line - baseline.share_below_bmn_line
            as share_below_bmn_line_change,
        {{ money('latest.debt_per_household - baseline.debt_per_household') }}
            as debt_per_household_change,
        -- reporting: what the calendar has made due from the village so far
        coalesce(reporting.survey_rounds_due, 0) as survey_rounds_due,
        coalesce(reporting.survey_rounds_received, 0) as survey_rounds_received,
        coalesce(reporting.survey_rounds_on_time, 0) as survey_rounds_on_time,
        coalesce(reporting.reports_due, 0) as reports_due,
        coalesce(reporting.reports_missing, 0) as reports_missing,
        case
            when coalesce(reporting.reports_due, 0) = 0 then 'nothing due yet'
            when reporting.reports_missing > 0 then 'missing'
            when reporting.reports_on_time < reporting.reports_due then 'late'
            else 'complete'
        end as reporting_status,
        reporting.missing_reports,
        -- the development plan
        plans.plan_date is not null as has_plan,
        plans.plan_date,
        coalesce(plans.plan_items, 0) as plan_items,
        plans.plan_requested_budget,
        -- the agencies' projects
        coalesce(budget.projects, 0) as projects,
        coalesce(budget.budget_allocated, 0) > 0 as has_funded_project,
        {{ money('coalesce(budget.budget_allocated, 0)') }} as budget_allocated,
        {{ money('coalesce(budget.budget_disbursed, 0)') }} as budget_disbursed,
        {{ safe_divide('budget.budget_disbursed', 'budget.budget_allocated') }} as disbursement_rate
    from villages
    left join geography on substr(villages.village_code, 1, 6) = geography.subdistrict_code
    left join round_span on villages.village_code = round_span.village_code
    left join questionnaires on villages.village_code = questionnaires.village_code
    left join reporting on villages.village_code = reporting.village_code
    left join rounds as baseline
        on villages.village_code = baseline.village_code and baseline.survey_round = 1
    left join rounds as latest
        on villages.village_code = latest.village_code
        and latest.survey_round = round_span.last_round
    left join budget on villages.village_code = budget.village_code
    left join plans on villages.village_code = plans.village_code
    left join agencies on villages.partner_organisation = agencies.name_used
)

select * from final
