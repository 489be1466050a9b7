{#- Each key has one value of the column (e.g. a village is in one phase only). Returns every
    row of a key with several values, so the stored failures show each conflicting row. -#}
{% test one_value_per_key(model, column_name, key) %}
select *
from {{ model }}
where {{ key }} in (
    select {{ key }}
    from {{ model }}
    group by {{ key }}
    having count(distinct {{ column_name }}) > 1
)
{% endtest %}
