{#- The columns of a household questionnaire that counts, as int_counted_household_surveys and
    fct_household_surveys both select them from int_household_surveys (`survey_id`: what
    gives household_survey_id). -#}
{% macro household_survey_fact_columns(survey_id='household_survey_id') -%}
    {{ survey_id }} as household_survey_id,
    submission_key,
    target_village_code as village_code,
    survey_date,
    survey_year_be,
    survey_fiscal_year_be,
    survey_round,
    is_baseline,
    received_on,
    head_citizen_id_hash,
    members_count,
    income_total,
    income_per_person,
    bmn_income_line,
    is_below_bmn_line,
    household_cost,
    debt_total,
    problems,
    {{ lineage_of() }}
{%- endmacro %}
