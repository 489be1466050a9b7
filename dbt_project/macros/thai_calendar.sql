{#- The Thai fiscal year (1 Oct - 30 Sep) of a date, named by the B.E. year it ends in:
    the SQL twin of sources.normalize.thai_fiscal_year (1 Dec 2019 is in FY 2563). -#}
{% macro thai_fiscal_year(date_expression) -%}
    cast(extract(year from {{ date_expression }}) + 543
         + case when extract(month from {{ date_expression }}) >= 10 then 1 else 0 end as integer)
{%- endmacro %}

{#- The quarter of the Thai fiscal year: Oct-Dec is 1, Jan-Mar 2, Apr-Jun 3, Jul-Sep 4. -#}
{% macro thai_fiscal_quarter(date_expression) -%}
    case
        when extract(month from {{ date_expression }}) >= 10 then 1
        when extract(month from {{ date_expression }}) <= 3 then 2
        when extract(month from {{ date_expression }}) <= 6 then 3
        else 4
    end
{%- endmacro %}

{#- A share or rate that is null, not an error, when there is nothing to divide by. -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}
