{#- Per phase x province: villages, subdistricts and districts reached and how far they are.
    (The programme's targets are per phase only: see mart_phase.) -#}
with villages as (
    select * from {{ ref('mart_village') }}
),

final as (
    select
        phase,
        province_code,
        max(province_name_th) as province_name_th,
        max(province_name_en) as province_name_en,
        count(distinct village_code) as villages,
        count(distinct subdistrict_code) as subdistricts,
        count(distinct district_code) as districts,
        {{ village_progress_measures() }}
    from villages
    group by phase, province_code
)

select * from final
