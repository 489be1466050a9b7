{#- The list of programme provinces and the province target must agree (4). -#}
select target_count, (select count(*) from {{ ref('programme_provinces') }}) as listed
from {{ ref('programme_targets') }}
where level = 'province'
  and target_count != (select count(*) from {{ ref('programme_provinces') }})
