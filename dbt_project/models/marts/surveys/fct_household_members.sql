{{ config(
    materialized=growing_fact_materialization(),
    incremental_strategy='replace_partitions',
    unique_key='submission_key',
    keep_rows_where='member_id is not null',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_rows_not_current('survey') }}",
) }}
{#- One row per member of a household questionnaire that counts, once per submission and
    roster position. Identifiers are pseudonyms; names were never read.

    Incremental, partitioned by submission: a run takes every member of the submissions
    int_household_members rebuilt since this table's latest rebuilt_at and keeps those that
    count; the batch gives a member that does not count no member_id, so that a submission
    none of whose members counts any more is emptied (macros/incremental_facts.sql). -#}
{%- set rebuild_all = rules_changed(code_rules_fingerprint()) %}
with members as (
    select * from {{ ref('int_household_members') }}
    {%- if not is_incremental() %}
    where is_counted
    {%- elif not rebuild_all %}
    where rebuilt_at > {{ rebuilt_through() }}
    {%- endif %}
),

final as (
    select
        {%- if is_incremental() %}
        case when is_counted then member_id end as member_id,
        {%- else %}
        member_id,
        {%- endif %}
        household_survey_id,
        submission_key,
        roster_position,
        citizen_id_hash,
        citizen_id_is_valid,
        sex,
        birth_date,
        birth_date_precision,
        education,
        occupation,
        {{ lineage_of() }},
        {{ code_rules_fingerprint() }} as rules_fingerprint,
        rebuilt_at
    from members
)

select * from final
