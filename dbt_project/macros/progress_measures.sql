{#- How far a group of mart_village rows is: the shares and budget mart_phase and
    mart_phase_province both report (one definition for both grains). -#}
{% macro village_progress_measures() -%}
        {{ safe_divide('count(*) filter (where is_surveyed)', 'count(*)') }}
            as share_villages_surveyed,
        {{ safe_divide('count(*) filter (where has_plan)', 'count(*)') }}
            as share_villages_with_plan,
        {{ safe_divide('count(*) filter (where has_funded_project)', 'count(*)') }}
            as share_villages_with_funded_project,
        {{ budget_totals() }}
{%- endmacro %}

{#- Budget allocated and disbursed over a group, and the disbursement rate (null when
    nothing was allocated): the one definition every mart uses. -#}
{% macro budget_totals() -%}
        {{ money('sum(budget_allocated)') }} as budget_allocated,
        {{ money('sum(budget_disbursed)') }} as budget_disbursed,
        {{ safe_divide('sum(budget_disbursed)', 'sum(budget_allocated)') }} as disbursement_rate
{%- endmacro %}
