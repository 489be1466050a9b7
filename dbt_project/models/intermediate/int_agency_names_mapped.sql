{#- Every agency or foundation name the sources use, mapped to its canonical name through the
    agency_name_variants seed (the data team extends it); unmapped names stand for themselves. -#}
with names_used as (
    select agency_name as name_used from {{ ref('stg_agency__projects') }}
    union
    select responsible_agency from {{ ref('stg_plans__plan_items') }}
    union
    select partner_organisation from {{ ref('stg_register__villages') }}
),

variants as (
    select * from {{ ref('agency_name_variants') }}
),

mapped as (
    select
        names_used.name_used,
        coalesce(variants.agency_name, names_used.name_used) as agency_name,
        {{ dbt.hash('coalesce(variants.agency_name, names_used.name_used)') }} as agency_id,
        coalesce(variants.agency_type, 'other') as agency_type,
        variants.name_variant is not null as is_mapped
    from names_used
    left join variants on names_used.name_used = variants.name_variant
    where names_used.name_used is not null
)

select * from mapped
