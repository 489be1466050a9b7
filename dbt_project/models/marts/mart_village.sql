{#- One row per target village: where it is, its phase and partner, and what the survey,
    the agencies' budgets and the village plan say about it so far. -#}
with villages as (
    select * from {{ ref('stg_register__villages') }}
),

geography as (
    select * from {{ ref('stg_reference__subdistricts') }}
),

survey_by_village as (
    select
        village_code,
        count(*) as surveyed_households,
        sum(members_count) as surveyed_population,
        sum(income_total) as income_total,
        max(survey_date) as last_survey_date
    from {{ ref('stg_survey__households') }}
    group by village_code
),

budget_by_village as (
    select
        village_code,
        count(distinct project_name) as projects,
        sum(budget_allocated) as budget_allocated,
        sum(budget_disbursed) as budget_disbursed
    from {{ ref('stg_agency__projects') }}
    group by village_code
),

plans_by_village as (
    select
        village_code,
        max(plan_date) as plan_date,
        count(*) as plan_items,
        sum(requested_budget) as plan_requested_budget
    from {{ ref('stg_plans__plan_items') }}
    group by village_code
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
        villages.partner_organisation,
        villages.community_vote_date,
        villages.community_vote_result,
        coalesce(survey_by_village.surveyed_households, 0) as surveyed_households,
        coalesce(survey_by_village.surveyed_population, 0) as surveyed_population,
        survey_by_village.last_survey_date,
        survey_by_village.income_total / nullif(survey_by_village.surveyed_population, 0)
            as income_per_person,
        coalesce(budget_by_village.projects, 0) as projects,
        coalesce(budget_by_village.budget_allocated, 0) as budget_allocated,
        coalesce(budget_by_village.budget_disbursed, 0) as budget_disbursed,
        plans_by_village.plan_date,
        coalesce(plans_by_village.plan_items, 0) as plan_items,
        plans_by_village.plan_requested_budget
    from villages
    left join geography
        on substr(villages.village_code, 1, 6) = geography.subdistrict_code
    left join survey_by_village on villages.village_code = survey_by_village.village_code
    left join budget_by_village on villages.village_code = budget_by_village.village_code
    left join plans_by_village on villages.village_code = plans_by_village.village_code
)

select * from final
