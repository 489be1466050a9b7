{#- Every member row loaded, linked to its household's submission: by the submission UUID it
    carries (Kobo _submission__uuid), by ODK's PARENT_KEY, or else by _parent_index within its
    own export. A member counts when its household counts, once per submission and position
    in the roster (the same roster exported twice counts once). -#}
with members as (
    select * from {{ ref('stg_survey__members') }}
),

households as (
    select * from {{ ref('int_household_surveys') }}
),

by_index as (
    select source_file_sha256, submission_index, min(submission_key) as submission_key
    from households
    where submission_index is not null
    group by source_file_sha256, submission_index
),

linked as (
    select
        members.*,
        coalesce(members.submission_uuid, members.parent_key, by_index.submission_key)
            as submission_key
    from members
    left join by_index
        on members.source_file_sha256 = by_index.source_file_sha256
        and members.parent_index = by_index.submission_index
),

positioned as (
    select
        linked.*,
        row_number() over (
            partition by linked.submission_key, linked.source_file_sha256, linked.source_sheet
            order by linked.member_index, linked.source_row_number
        ) as roster_position
    from linked
),

ranked as (
    select
        positioned.*,
        counted.household_survey_id,
        row_number() over (
            partition by positioned.submission_key, positioned.roster_position
            order by positioned.source_file_name, positioned.source_row_number
        ) as member_copy
    from positioned
    left join households as counted
        on positioned.submission_key = counted.submission_key and counted.is_counted
)

select
    ranked.*,
    ranked.household_survey_id is not null and ranked.member_copy = 1 as is_counted
from ranked
