{#- One row per household questionnaire that counts, with its survey round, when it was
    received and its income against the BMN line (the rules: int_counted_household_surveys). -#}
select * from {{ ref('int_counted_household_surveys') }}
