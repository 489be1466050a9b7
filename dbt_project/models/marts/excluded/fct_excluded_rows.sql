{#- Rows loaded from the landing files that the warehouse sets aside, each with its reason:
    the rules that relate a row to others (the register, its household, another copy of it),
    judged anew on every build, so a village added to the register brings its rows back.
    With raw.ingest_quarantine (rows wrong in themselves) this is every row not counted. -#}
with register_duplicates as (
    select
        'register' as source_kind, 'register_villages' as table_name, source_file_sha256,
        source_file_name, source_sheet, source_row_number, village_code,
        'duplicate register row: same village as ' || first_source_file_name || ' row '
        || cast(first_source_row_number as {{ dbt.type_string() }}) as reason
    from {{ ref('int_register_rows') }}
    where not is_first_row
),

households as (
    select
        'survey' as source_kind, 'survey_households' as table_name, source_file_sha256,
        source_file_name, source_sheet, source_row_number, target_village_code as village_code,
        coalesce(
            exclusion_reason,
            'duplicate submission: already loaded from ' || first_source_file_name || ' row '
            || cast(first_source_row_number as {{ dbt.type_string() }})
        ) as reason
    from {{ ref('int_household_surveys') }}
    where not is_counted
),

members as (
    select
        'survey' as source_kind, 'survey_members' as table_name, source_file_sha256,
        source_file_name, source_sheet, source_row_number,
        cast(null as {{ dbt.type_string() }}) as village_code,
        case
            when household_survey_id is null
                then 'its household is not in the warehouse (quarantined, set aside or missing)'
            else 'duplicate member: the same roster position of the same submission is loaded'
        end as reason
    from {{ ref('int_household_members') }}
    where not is_counted
),

located as (
    select located.*, lines.source_file_sha256, lines.source_file_name, lines.source_sheet,
        lines.source_row_number, 'agency' as source_kind
    from {{ ref('int_rows_located') }} as located
    inner join {{ ref('stg_agency__projects') }} as lines on located.row_id = lines.budget_line_id
    where located.table_name = 'agency_projects' and not located.is_target_village
    union all
    select located.*, items.source_file_sha256, items.source_file_name, items.source_sheet,
        items.source_row_number, 'plans' as source_kind
    from {{ ref('int_rows_located') }} as located
    inner join {{ ref('stg_plans__plan_items') }} as items on located.row_id = items.plan_item_id
    where located.table_name = 'plan_items' and not located.is_target_village
),

outside as (
    select
        source_kind, table_name, source_file_sha256, source_file_name, source_sheet,
        source_row_number, village_code, exclusion_reason as reason
    from located
)

select * from register_duplicates
union all
select * from households
union all
select * from members
union all
select * from outside
