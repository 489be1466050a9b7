{#- Money: baht to the satang, decimal(18,2) wherever an amount is stored (the raw tables hold
    it so, sources/normalize.py parse_money), so that sums reconcile exactly. Sums and
    differences widen the type: each amount a model outputs is cast back with this macro. -#}
{% macro money(expression) -%}
    cast({{ expression }} as decimal(18, 2))
{%- endmacro %}
