{#- The columns together identify a row (dbt_utils' test of that name, which we cannot install). -#}
{% test unique_combination(model, combination) %}
select {{ combination | join(', ') }}, count(*) as row_count
from {{ model }}
group by {{ combination | join(', ') }}
having count(*) > 1
{% endtest %}
