{#- The village of every survey, budget and plan row, and whether it is a target village (the
    rule: macros/locate_rows.sql). The incremental facts apply the same rule to the rows of
    their new files only. -#}
with rows_to_locate as (
    select
        'survey_households' as table_name, household_survey_id as row_id, village_code,
        village_name_key, village_area_code
    from {{ ref('stg_survey__households') }}
    union all
    select
        'agency_projects', budget_line_id, village_code, village_name_key, village_area_code
    from {{ ref('stg_agency__projects') }}
    union all
    select
        'plan_items', plan_item_id, village_code, village_name_key, village_area_code
    from {{ ref('stg_plans__plan_items') }}
),

final as (
    select * from {{ located_rows('rows_to_locate') }} as located
)

select * from final
