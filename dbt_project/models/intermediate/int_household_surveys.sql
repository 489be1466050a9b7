{#- Every household questionnaire loaded, with its village and whether it counts: a submission
    (its instance UUID, shared by KoboToolbox and ODK exports) counts once, from the first file
    that holds it, and only in a target village. -#}
with households as (
    select * from {{ ref('stg_survey__households') }}
),

located as (
    select * from {{ ref('int_rows_located') }} where table_name = 'survey_households'
),

ranked as (
    select
        households.*,
        located.village_code as target_village_code,
        located.is_target_village,
        located.exclusion_reason,
        row_number() over (
            partition by households.submission_key
            order by households.source_file_name, households.source_row_number
        ) as submission_copy,
        first_value(households.source_file_name) over (
            partition by households.submission_key
            order by households.source_file_name, households.source_row_number
        ) as first_source_file_name,
        first_value(households.source_row_number) over (
            partition by households.submission_key
            order by households.source_file_name, households.source_row_number
        ) as first_source_row_number
    from households
    inner join located on households.household_survey_id = located.row_id
)

select
    ranked.*,
    ranked.is_target_village and ranked.submission_copy = 1 as is_counted
from ranked
