{#- An official DOPA code: exactly `digits` characters, all of them digits. Returns the whole
    failing row, so its stored failures name the source file, sheet and row. -#}
{% test is_official_code(model, column_name, digits) %}
select *
from {{ model }}
where {{ column_name }} is not null
  and (length({{ column_name }}) != {{ digits }} or try_cast({{ column_name }} as bigint) is null)
{% endtest %}
