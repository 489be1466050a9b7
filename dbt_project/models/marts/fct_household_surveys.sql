{#- One row per household questionnaire that counts (each submission once, in a target
    village), with its survey round: round 1 is the village's baseline data study (from 1 Dec
    2019), later fiscal years are follow-ups (rounds 2, 3...). Income per person and the BMN
    income line are per year, the line taken for the survey's B.E. year from the
    bmn_income_lines seed. -#}
with households as (
    select
        household_survey_id,
        submission_key,
        target_village_code as village_code,
        survey_date,
        head_citizen_id_hash,
        members_count,
        income_total,
        household_cost,
        debt_total,
        problems,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row_number
    from {{ ref('int_household_surveys') }}
    where is_counted
),

income_lines as (
    select * from {{ ref('bmn_income_lines') }}
),

dated as (
    select
        households.*,
        {{ thai_fiscal_year('households.survey_date') }} as survey_fiscal_year_be,
        cast(extract(year from households.survey_date) + 543 as integer) as survey_year_be
    from households
),

rounds as (
    select
        dated.*,
        dense_rank() over (
            partition by village_code order by survey_fiscal_year_be
        ) as survey_round
    from dated
),

final as (
    select
        rounds.household_survey_id,
        rounds.submission_key,
        rounds.village_code,
        rounds.survey_date,
        rounds.survey_year_be,
        rounds.survey_fiscal_year_be,
        rounds.survey_round,
        rounds.survey_round = 1 as is_baseline,
        rounds.head_citizen_id_hash,
        rounds.members_count,
        rounds.income_total,
        {{ safe_divide('rounds.income_total', 'rounds.members_count') }} as income_per_person,
        income_lines.income_line_baht_per_person_year as bmn_income_line,
        {{ safe_divide('rounds.income_total', 'rounds.members_count') }}
            < income_lines.income_line_baht_per_person_year as is_below_bmn_line,
        rounds.household_cost,
        rounds.debt_total,
        rounds.problems,
        rounds.source_file_sha256,
        rounds.source_file_name,
        rounds.source_sheet,
        rounds.source_row_number
    from rounds
    left join income_lines
        on rounds.survey_year_be between income_lines.first_year_be and income_lines.last_year_be
)

select * from final
