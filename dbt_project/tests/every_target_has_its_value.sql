{#- Counts have a number, dates have a date: a target row with neither is a mistake. -#}
select phase, level
from {{ ref('programme_targets') }}
where (level in ('village', 'subdistrict', 'district', 'province') and target_count is null)
   or (level in ('plan_start', 'plan_end') and target_date is null)
