{{ config(schema='restricted') }}
{#- Households answering the drug questions in each village's latest survey round, and how
    many report use, treatment, arrest. Unsuppressed: it stays in the restricted schema. -#}
with answers as (
    select * from {{ ref('stg_restricted__household_drug_answers') }}
),

households as (
    select * from {{ ref('int_counted_household_surveys') }}
),

latest_round as (
    select village_code, max(survey_round) as survey_round from households group by village_code
),

final as (
    select
        households.village_code,
        households.survey_round,
        count(*) as households_answered,
        count(*) filter (where answers.has_drug_use) as households_with_drug_use,
        count(*) filter (where answers.has_drug_treatment) as households_with_drug_treatment,
        count(*) filter (where answers.has_drug_arrest) as households_with_drug_arrest
    from households
    inner join latest_round
        on households.village_code = latest_round.village_code
        and households.survey_round = latest_round.survey_round
    inner join answers
        on households.source_file_sha256 = answers.source_file_sha256
        and households.source_sheet = answers.source_sheet
        and households.source_row_number = answers.source_row_number
    group by households.village_code, households.survey_round
)

select * from final
