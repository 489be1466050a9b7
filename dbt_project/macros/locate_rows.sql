{#- The village of each row of `rows` (a CTE with table_name, row_id, village_code,
    village_name_key, village_area_code), and whether it is a target village: a row names its
    village by code (resolved at ingest) or, when it gives no moo or no subdistrict, by the
    village's name inside the area it does give (village_area_code): a name that matches
    exactly one register village there finds it. Rows outside the register, or whose name finds
    none or several villages, get the reason they are set aside. A subquery, so that the
    incremental facts locate only the rows of their new files (int_rows_located: all rows). -#}
{% macro located_rows(rows) -%}
(
    with villages as (
        select village_code, village_name_key from {{ ref('int_register_villages') }}
    ),

    by_name as (
        select
            {{ rows }}.table_name,
            {{ rows }}.row_id,
            min(villages.village_code) as village_code,
            count(*) as matches
        from {{ rows }}
        inner join villages
            on {{ rows }}.village_name_key = villages.village_name_key
            and substr(villages.village_code, 1, length({{ rows }}.village_area_code))
            = {{ rows }}.village_area_code
        where {{ rows }}.village_code is null
        group by {{ rows }}.table_name, {{ rows }}.row_id
    ),

    resolved as (
        select
            {{ rows }}.table_name,
            {{ rows }}.row_id,
            {{ rows }}.village_area_code,
            coalesce(
                {{ rows }}.village_code,
                case when by_name.matches = 1 then by_name.village_code end
            ) as village_code,
            case
                when {{ rows }}.village_code is not null then 'code'
                when by_name.matches = 1 then 'register_name'
            end as village_found_by,
            coalesce(by_name.matches, 0) as name_matches
        from {{ rows }}
        left join by_name
            on {{ rows }}.table_name = by_name.table_name and {{ rows }}.row_id = by_name.row_id
    )

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
{%- endmacro %}
