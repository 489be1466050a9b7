{#- A yes/no survey answer read as yes: the SQL twin of TRUE_ANSWERS in sources/transform.py. -#}
{% macro is_yes_answer(answer) -%}
    (lower(trim({{ answer }})) in ('1', 'true', 'yes', 'ใช่', 'มี'))
{%- endmacro %}
