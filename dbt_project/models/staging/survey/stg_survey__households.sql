{#- One row per household questionnaire as loaded. The survey date is the form's own date,
    else the interview's start or end (never the upload time, submitted_at, which decides only
    whether the survey reached the server on time); income, cost and debt totals are
    the form's total, else the sum of their parts. -#}
with source as (
    select * from {{ source('survey', 'survey_households') }}
),

renamed as (
    select
        {{ source_row_id() }} as household_survey_id,
        -- the instance UUID (Kobo _uuid, ODK meta-instanceID or an ODK KEY 'uuid:...'),
        -- else the file's own id
        coalesce(
            submission_uuid,
            case when lower(submission_id) like 'uuid:%' then lower(substr(submission_id, 6)) end,
            _file_sha256 || ':' || submission_id
        ) as submission_key,
        submission_id,
        submission_uuid,
        submission_index,
        validation_status,
        {{ utc_timestamp_from_text('submitted_at') }} as submitted_at,
        coalesce(survey_date, survey_started_at, survey_ended_at) as survey_date,
        village_code,
        village_name_key,
        village_area_code,
        house_code_hash,
        head_citizen_id_hash,
        head_citizen_id_is_valid,
        members_count,
        income_agriculture,
        income_livestock,
        income_wage,
        income_trade,
        income_other,
        {{ money(
            'coalesce(income_agriculture, 0) + coalesce(income_livestock, 0)
            + coalesce(income_wage, 0) + coalesce(income_trade, 0) + coalesce(income_other, 0)'
        ) }} as income_total,
        {{ money('coalesce(
            household_cost,
            case
                when cost_farm is not null or cost_living is not null
                    then coalesce(cost_farm, 0) + coalesce(cost_living, 0)
            end
        )') }} as household_cost,
        {{ money('coalesce(
            debt_total,
            case
                when coalesce(debt_baac, debt_village_fund, debt_cooperative, debt_informal)
                    is not null
                    then coalesce(debt_baac, 0) + coalesce(debt_village_fund, 0)
                    + coalesce(debt_cooperative, 0) + coalesce(debt_informal, 0)
            end
        )') }} as debt_total,
        problems,
        {{ lineage_columns() }}
    from source
)

select * from renamed
