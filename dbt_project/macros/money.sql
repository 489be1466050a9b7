{#- Money: baht to the satang, decimal(18,2) wherever an amount is stored (the raw tables hold
    it so, sources/normalize.py parse_money), so that sums reconcile exactly. Sums and
    differences widen the type: each amount a model outputs is cast back with this macro. -#}
{% macro money(expression) -%}
    cast({{ expression }} as decimal(18, 2))
{%- endmacro %}

{#- An amount per person, per household, ...: the quotient rounded half away from zero to the
    satang, null when there is nothing to divide by. Rounded by round(), not by the cast alone:
    engines cast a double to decimal differently (DuckDB rounds its binary value, 1.025 to 1.02;
    Spark its shortest decimal form, to 1.03), and round(x * 100) is the same on both. -#}
{% macro money_per(amount, count) -%}
    {{ money('round(' ~ safe_divide(amount, count) ~ ' * 100) / 100') }}
{%- endmacro %}
