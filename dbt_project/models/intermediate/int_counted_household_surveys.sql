{#- One row per household questionnaire that counts (each submission once, in a target
    village), with its survey round, when it was received and its income against the BMN line:
    the rules are in int_household_surveys, which keeps every copy. -#}
select {{ household_survey_fact_columns() }}
from {{ ref('int_household_surveys') }}
where is_counted
