{#- The Thai fiscal year (1 Oct - 30 Sep) of a date, named by the B.E. year it ends in (1 Dec
    2019 is in FY 2563; the unit test of int_counted_household_surveys holds the turn). -#}
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

{#- The date in Asia/Bangkok of a UTC timestamp: Thailand keeps UTC+7 all year (no daylight
    saving), so no time-zone database is needed. -#}
{% macro bangkok_date(utc_timestamp) -%}
    cast({{ dbt.dateadd('hour', 7, utc_timestamp) }} as date)
{%- endmacro %}

{#- A UTC timestamp written as text by KoboToolbox (_submission_time '2020-01-15T03:22:11')
    or ODK Central (SubmissionDate '2021-10-02T03:00:00.000Z'); null when it is not one. -#}
{% macro utc_timestamp_from_text(text) -%}
    try_cast(replace(substr(trim({{ text }}), 1, 19), 'T', ' ') as timestamp)
{%- endmacro %}

{#- The run's evaluation date: what is due by then is expected. The pipeline always passes it
    as the var as_of (sources.settings.evaluation_date: ROIJAI_AS_OF, else today in
    Asia/Bangkok); dbt run by hand without it takes the day it started, in Asia/Bangkok. -#}
{% macro as_of_date() -%}
    {%- set started_on = run_started_at.astimezone(modules.pytz.timezone('Asia/Bangkok')).date() -%}
    cast('{{ var("as_of", started_on.isoformat()) }}' as date)
{%- endmacro %}
