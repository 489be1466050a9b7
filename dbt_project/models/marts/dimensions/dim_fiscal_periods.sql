{#- Thai fiscal quarters (the fiscal year runs 1 Oct - 30 Sep and is named by the B.E. year
    it ends in), for the fiscal years between the vars first/last_fiscal_year_be. -#}
{%- set quarters = [(1, 10, '10-01', '12-31', 0), (2, 1, '01-01', '03-31', 1),
                    (3, 4, '04-01', '06-30', 1), (4, 7, '07-01', '09-30', 1)] -%}
with quarters as (
    {%- for fiscal_year in range(var('first_fiscal_year_be'), var('last_fiscal_year_be') + 1) %}
    {%- for quarter, first_month, start_day, end_day, year_offset in quarters %}
    {%- set calendar_year = fiscal_year - 543 - 1 + year_offset %}
    select
        {{ fiscal_year }} as fiscal_year_be,
        {{ quarter }} as fiscal_quarter,
        cast('{{ calendar_year }}-{{ start_day }}' as date) as quarter_start_date,
        cast('{{ calendar_year }}-{{ end_day }}' as date) as quarter_end_date,
        cast('{{ fiscal_year - 544 }}-10-01' as date) as fiscal_year_start_date,
        cast('{{ fiscal_year - 543 }}-09-30' as date) as fiscal_year_end_date
    {% if not loop.last or fiscal_year < var('last_fiscal_year_be') %}union all{% endif %}
    {%- endfor %}
    {%- endfor %}
),

final as (
    select
        cast(fiscal_year_be as {{ dbt.type_string() }}) || '-Q'
            || cast(fiscal_quarter as {{ dbt.type_string() }}) as fiscal_period_id,
        *
    from quarters
)

select * from final
