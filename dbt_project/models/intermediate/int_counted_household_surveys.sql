{#- One row per household questionnaire that counts (each submission once, in a target
    village), with its survey round from the reporting_calendar seed: the round of the
    village's phase in the fiscal year of the survey date (round 1 the baseline data study,
    later rounds the yearly follow-ups; null for a fiscal year with no round of that phase).
    received_on is when it reached the server, in Asia/Bangkok (the submission time, else the
    arrival of its file). Income per person and the BMN income line are per year, the line
    taken for the survey's B.E. year from the bmn_income_lines seed. -#}
with households as (
    select
        household_survey_id,
        submission_key,
        target_village_code as village_code,
        survey_date,
        submitted_at,
        head_citizen_id_hash,
        members_count,
        income_total,
        household_cost,
        debt_total,
        problems,
        {{ lineage_of() }}
    from {{ ref('int_household_surveys') }}
    where is_counted
),

villages as (
    select village_code, phase from {{ ref('int_register_villages') }}
),

survey_rounds as (
    select phase, fiscal_year_be, survey_round
    from {{ ref('reporting_calendar') }}
    where source_kind = 'survey'
),

files as (
    select file_sha256, arrived_on from {{ ref('stg_ingest__files') }}
),

income_lines as (
    select * from {{ ref('bmn_income_lines') }}
),

dated as (
    select
        households.*,
        villages.phase,
        {{ thai_fiscal_year('households.survey_date') }} as survey_fiscal_year_be,
        cast(extract(year from households.survey_date) + 543 as integer) as survey_year_be,
        coalesce({{ bangkok_date('households.submitted_at') }}, files.arrived_on) as received_on
    from households
    left join villages on households.village_code = villages.village_code
    left join files on households.source_file_sha256 = files.file_sha256
),

final as (
    select
        dated.household_survey_id,
        dated.submission_key,
        dated.village_code,
        dated.survey_date,
        dated.survey_year_be,
        dated.survey_fiscal_year_be,
        survey_rounds.survey_round,
        coalesce(survey_rounds.survey_round = 1, false) as is_baseline,
        dated.received_on,
        dated.head_citizen_id_hash,
        dated.members_count,
        dated.income_total,
        {{ money(safe_divide('dated.income_total', 'dated.members_count')) }}
            as income_per_person,
        income_lines.income_line_baht_per_person_year as bmn_income_line,
        {{ safe_divide('dated.income_total', 'dated.members_count') }}
            < income_lines.income_line_baht_per_person_year as is_below_bmn_line,
        dated.household_cost,
        dated.debt_total,
        dated.problems,
        {{ lineage_of('dated') }}
    from dated
    left join survey_rounds
        on dated.phase = survey_rounds.phase
        and dated.survey_fiscal_year_be = survey_rounds.fiscal_year_be
    left join income_lines
        on dated.survey_year_be between income_lines.first_year_be and income_lines.last_year_be
)

select * from final
