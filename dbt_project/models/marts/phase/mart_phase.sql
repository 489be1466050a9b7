{#- One row per phase: the targets from the programme_targets seed beside the counts the
    register reaches, and how far the villages are: surveyed, with a plan, with a funded
    project, budget. A phase with targets but no villages still gets its row (actuals 0), and
    a phase in the data without targets gets one with null targets, so checks see both. -#}
with targets as (
    select
        phase,
        max(case when level = 'village' then target_count end) as target_villages,
        max(case when level = 'subdistrict' then target_count end) as target_subdistricts,
        max(case when level = 'district' then target_count end) as target_districts
    from {{ ref('programme_targets') }}
    where level in ('village', 'subdistrict', 'district')
    group by phase
),

province_target as (
    select max(target_count) as target_provinces
    from {{ ref('programme_targets') }}
    where level = 'province'
),

actuals as (
    select
        phase,
        count(distinct village_code) as actual_villages,
        count(distinct subdistrict_code) as actual_subdistricts,
        count(distinct district_code) as actual_districts,
        count(distinct province_code) as actual_provinces,
        {{ village_progress_measures() }}
    from {{ ref('mart_village') }}
    group by phase
),

final as (
    select
        coalesce(targets.phase, actuals.phase) as phase,
        targets.target_villages,
        coalesce(actuals.actual_villages, 0) as actual_villages,
        targets.target_subdistricts,
        coalesce(actuals.actual_subdistricts, 0) as actual_subdistricts,
        targets.target_districts,
        coalesce(actuals.actual_districts, 0) as actual_districts,
        province_target.target_provinces,
        coalesce(actuals.actual_provinces, 0) as actual_provinces,
        actuals.share_villages_surveyed,
        actuals.share_villages_with_plan,
        actuals.share_villages_with_funded_project,
        {{ money('coalesce(actuals.budget_allocated, 0)') }} as budget_allocated,
        {{ money('coalesce(actuals.budget_disbursed, 0)') }} as budget_disbursed,
        actuals.disbursement_rate
    from targets
    full outer join actuals on targets.phase = actuals.phase
    cross join province_target
)

select * from final
