{{ config(
    materialized=growing_fact_materialization(),
    incremental_strategy='replace_partitions',
    unique_key='submission_key',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_rows_not_current('survey') }}",
) }}
{#- Every household questionnaire loaded, with its village, its survey round and income
    against the BMN line, and whether it counts: a submission (its instance UUID, shared by
    KoboToolbox and ODK exports) counts once, from the first file that holds it, and only in a
    target village. Its survey round comes from the reporting_calendar seed: the round of the
    village's phase in the fiscal year of the survey date (round 1 the baseline data study,
    later rounds the yearly follow-ups; null for a fiscal year with no round of that phase).
    received_on is when it reached the server, in Asia/Bangkok (the submission time, else the
    arrival of its file). Income per person and the BMN income line are per year, the line
    taken for the survey's B.E. year from the bmn_income_lines seed.

    Incremental, partitioned by submission: a run locates and dates only the rows of survey
    files new to the table, and ranks again every copy of the submissions they hold or that a
    file no longer loaded held (the other copies as the table has them); a change of the
    register or of those seeds rebuilds it all (macros/incremental_facts.sql). -#}
{%- set row_columns = [
    'household_survey_id', 'submission_key', 'submission_id', 'submission_uuid',
    'submission_index', 'validation_status', 'submitted_at', 'survey_date', 'village_code',
    'village_name_key', 'village_area_code', 'house_code_hash', 'head_citizen_id_hash',
    'head_citizen_id_is_valid', 'members_count', 'income_agriculture', 'income_livestock',
    'income_wage', 'income_trade', 'income_other', 'income_total', 'household_cost',
    'debt_total', 'problems', 'source_file_sha256', 'source_file_name', 'source_sheet',
    'source_row_number', 'target_village_code', 'is_target_village', 'exclusion_reason',
    'phase', 'survey_year_be', 'survey_fiscal_year_be', 'survey_round', 'is_baseline',
    'received_on', 'income_per_person', 'bmn_income_line', 'is_below_bmn_line',
] -%}
{%- set rebuild_all = rules_changed(survey_rules_fingerprint()) -%}
{%- set incremental = is_incremental() and not rebuild_all -%}
{%- set new_files = files_new_to_this('survey') -%}
with households as (
    select * from {{ ref('stg_survey__households') }}
    {%- if incremental %}
    where source_file_sha256 in {{ sha_list(new_files) }}
    {%- endif %}
),

rows_to_locate as (
    select
        'survey_households' as table_name, household_survey_id as row_id, village_code,
        village_name_key, village_area_code
    from households
),

located as (
    select * from {{ located_rows('rows_to_locate') }} as located
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
        located.village_code as target_village_code,
        located.is_target_village,
        located.exclusion_reason,
        villages.phase,
        cast(extract(year from households.survey_date) + 543 as integer) as survey_year_be,
        {{ thai_fiscal_year('households.survey_date') }} as survey_fiscal_year_be,
        coalesce({{ bangkok_date('households.submitted_at') }}, files.arrived_on) as received_on
    from households
    inner join located on households.household_survey_id = located.row_id
    left join villages on located.village_code = villages.village_code
    left join files on households.source_file_sha256 = files.file_sha256
),

fresh as (
    select
        dated.*,
        survey_rounds.survey_round,
        coalesce(survey_rounds.survey_round = 1, false) as is_baseline,
        {{ money_per('dated.income_total', 'dated.members_count') }}
            as income_per_person,
        income_lines.income_line_baht_per_person_year as bmn_income_line,
        {{ safe_divide('dated.income_total', 'dated.members_count') }}
            < income_lines.income_line_baht_per_person_year as is_below_bmn_line
    from dated
    left join survey_rounds
        on dated.phase = survey_rounds.phase
        and dated.survey_fiscal_year_be = survey_rounds.fiscal_year_be
    left join income_lines
        on dated.survey_year_be between income_lines.first_year_be and income_lines.last_year_be
),

copies as (
    select {{ row_columns | join(', ') }} from fresh
    {%- if incremental %}
    union all
    -- the other copies of the submissions to rank again, from the files still loaded
    select {{ row_columns | join(', ') }}
    from {{ this }}
    where submission_key in (
            select submission_key from fresh
            union
            select submission_key from {{ this }}
            where source_file_sha256 not in ({{ loaded_files('survey') }})
        )
        and source_file_sha256 in ({{ loaded_files('survey') }})
        and source_file_sha256 not in {{ sha_list(new_files) }}
    {%- endif %}
),

ranked as (
    select
        copies.*,
        row_number() over (
            partition by copies.submission_key
            order by copies.source_file_name, copies.source_row_number
        ) as submission_copy,
        first_value(copies.source_file_name) over (
            partition by copies.submission_key
            order by copies.source_file_name, copies.source_row_number
        ) as first_source_file_name,
        first_value(copies.source_row_number) over (
            partition by copies.submission_key
            order by copies.source_file_name, copies.source_row_number
        ) as first_source_row_number
    from copies
),

final as (
    select
        ranked.*,
        ranked.is_target_village and ranked.submission_copy = 1 as is_counted,
        {{ survey_rules_fingerprint() }} as rules_fingerprint,
        {{ this_run_started_at() }} as rebuilt_at
    from ranked
)

select * from final
