{#- The village of every survey, budget and plan row, and whether it is a target village.
    A row names its village by code (resolved at ingest) or, when it gives no moo or no
    subdistrict, by the village's name inside the area it does give (village_area_code):
    a name that matches exactly one register village there finds it. Rows outside the
    register, or whose name finds none or several villages, are set aside with the reason. -#}
with located as (
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

villages as (
    select village_code, village_name_key from {{ ref('int_register_villages') }}
),

by_name as (
    select
        located.table_name,
        located.row_id,
        min(villages.village_code) as village_code,
        count(*) as matches
    from located
    inner join villages
        on located.village_name_key = villages.village_name_key
        and substr(villages.village_code, 1, length(located.village_area_code))
        = located.village_area_code
    where located.village_code is null
    group by located.table_name, located.row_id
),

resolved as (
    select
        located.table_name,
        located.row_id,
        located.village_area_code,
        coalesce(
            located.village_code,
            case when by_name.matches = 1 then by_name.village_code end
        ) as village_code,
        case
            when located.village_code is not null then 'code'
            when by_name.matches = 1 then 'register_name'
        end as village_found_by,
        coalesce(by_name.matches, 0) as name_matches
    from located
    left join by_name
        on located.table_name = by_name.table_name and located.row_id = by_name.row_id
),

final as (
    select
        resolved.table_name,
        resolved.row_id,
        resolved.village_code,
        resolved.village_found_by,
        villages.village_code is not null as is_target_village,
        case
            when villages.village_code is not null then null
            when resolved.village_code is not null
                then 'village not in the register: ' || resolved.village_code
            when resolved.name_matches > 1
                then 'village name matches ' || cast(resolved.name_matches as {{ dbt.type_string() }})
                || ' register villages in area ' || resolved.village_area_code
            else 'no register village of that name in area ' || resolved.village_area_code
        end as exclusion_reason
    from resolved
    left join villages on resolved.village_code = villages.village_code
)

select * from final
