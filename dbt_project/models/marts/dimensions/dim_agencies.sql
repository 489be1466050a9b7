{#- Agencies and partner foundations, one row per canonical name, with the variants seen. -#}
with mapped as (
    select * from {{ ref('int_agency_names_mapped') }}
),

final as (
    select
        agency_id,
        agency_name,
        max(agency_type) as agency_type,
        count(*) as name_variants_seen,
        {{ dbt.listagg('name_used', "' | '", 'order by name_used') }} as names_used
    from mapped
    group by agency_id, agency_name
)

select * from final
