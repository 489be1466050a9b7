{#- The list of programme provinces and the province target must agree (4). -#}
{{ config(meta={'dagster': {'ref': {'name': 'programme_targets'}}}) }}
select target_count, (select count(*) from {{ ref('programme_provinces') }}) as listed
from {{ ref('programme_targets') }}
where level = 'province'
  and target_count != (select count(*) from {{ ref('programme_provinces') }})
