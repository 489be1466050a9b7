{{ config(
    materialized=growing_fact_materialization(),
    incremental_strategy='replace_partitions',
    unique_key='submission_key',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_rows_not_current('survey') }}",
) }}
{#- Every member row loaded, linked to its household's submission: by the submission UUID it
    carries (Kobo _submission__uuid), by ODK's PARENT_KEY, or else by _parent_index within its
    own export. A member counts when its household counts, once per submission and position
    in the roster (the same roster exported twice counts once). A member linked to no
    submission counts nowhere.

    Incremental, partitioned by submission: a run links only the member rows of survey files
    new to the table, and ranks again every member of the submissions they hold, that a file
    no longer loaded held, whose counted household int_household_surveys rebuilt since this
    table's latest rebuilt_at, or whose counted household's file is no longer loaded
    (household_source_file_sha256; macros/incremental_facts.sql). -#}
{%- set row_columns = [
    'member_id', 'submission_uuid', 'parent_index', 'parent_key', 'member_index', 'member_key',
    'citizen_id_hash', 'citizen_id_is_valid', 'sex', 'birth_date', 'birth_date_precision',
    'education', 'occupation', 'source_file_sha256', 'source_file_name', 'source_sheet',
    'source_row_number', 'submission_key', 'roster_position',
] -%}
{%- set rebuild_all = rules_changed(code_rules_fingerprint()) -%}
{%- set incremental = is_incremental() and not rebuild_all -%}
{%- set new_files = files_new_to_this('survey') -%}
with members as (
    select * from {{ ref('stg_survey__members') }}
    {%- if incremental %}
    where source_file_sha256 in {{ sha_list(new_files) }}
    {%- endif %}
),

households as (
    select * from {{ ref('int_household_surveys') }}
),

by_index as (
    select source_file_sha256, submission_index, min(submission_key) as submission_key
    from households
    where submission_index is not null
    {%- if incremental %}
        and source_file_sha256 in {{ sha_list(new_files) }}
    {%- endif %}
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

fresh as (
    select
        linked.*,
        -- a bigint on every engine (Spark's row_number is an int)
        cast(row_number() over (
            partition by linked.submission_key, linked.source_file_sha256, linked.source_sheet
            order by linked.member_index, linked.source_row_number
        ) as bigint) as roster_position
    from linked
),

{%- if incremental %}

submissions_to_rank as (
    select submission_key from fresh
    union
    select submission_key from {{ this }}
    where source_file_sha256 not in ({{ loaded_files('survey') }})
    union
    -- the submissions whose counted copy was rebuilt, or left with its file
    select submission_key from households where rebuilt_at > {{ rebuilt_through() }}
    union
    select submission_key from {{ this }}
    where household_source_file_sha256 not in ({{ loaded_files('survey') }})
),
{%- endif %}

positioned as (
    select {{ row_columns | join(', ') }} from fresh
    {%- if incremental %}
    union all
    -- the other members of the submissions to rank again, from the files still loaded
    select {{ row_columns | join(', ') }}
    from {{ this }}
    where submission_key in (select submission_key from submissions_to_rank)
        and source_file_sha256 in ({{ loaded_files('survey') }})
        and source_file_sha256 not in {{ sha_list(new_files) }}
    {%- endif %}
),

ranked as (
    select
        positioned.*,
        counted.household_survey_id,
        counted.source_file_sha256 as household_source_file_sha256,
        case when positioned.submission_key is not null then row_number() over (
            partition by positioned.submission_key, positioned.roster_position
            order by positioned.source_file_name, positioned.source_row_number
        ) end as member_copy
    from positioned
    left join households as counted
        on positioned.submission_key = counted.submission_key and counted.is_counted
)

select
    ranked.*,
    ranked.household_survey_id is not null and ranked.member_copy = 1 as is_counted,
    {{ code_rules_fingerprint() }} as rules_fingerprint,
    {{ this_run_started_at() }} as rebuilt_at
from ranked
