{#- Every value of the column is a key of `to` (dbt's relationships test, returning the whole
    failing row so its stored failures name the source file, sheet and row). -#}
{% test refers_to(model, column_name, to, field) %}
select *
from {{ model }}
where {{ column_name }} is not null
  and {{ column_name }} not in (
      select {{ field }} from {{ to }} where {{ field }} is not null
  )
{% endtest %}
