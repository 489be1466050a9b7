{{ config(
    materialized=growing_fact_materialization(),
    incremental_strategy='replace_partitions',
    unique_key='submission_key',
    keep_rows_where='household_survey_id is not null',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_rows_not_current('survey') }}",
) }}
{#- One row per household questionnaire that counts, with its survey round, when it was
    received and its income against the BMN line (the rules: int_household_surveys).

    Incremental, partitioned by submission: a run takes every copy of the submissions
    int_household_surveys rebuilt since this table's latest rebuilt_at and keeps the one that
    counts, if any; the batch gives a copy that does not count no household_survey_id, so that
    a submission none of whose copies counts any more is emptied (macros/incremental_facts.sql). -#}
{%- set rebuild_all = rules_changed(code_rules_fingerprint()) %}
select
    {%- if is_incremental() %}
    {{ household_survey_fact_columns('case when is_counted then household_survey_id end') }},
    {%- else %}
    {{ household_survey_fact_columns() }},
    {%- endif %}
    {{ code_rules_fingerprint() }} as rules_fingerprint,
    rebuilt_at
from {{ ref('int_household_surveys') }}
{%- if not is_incremental() %}
where is_counted
{%- elif not rebuild_all %}
where rebuilt_at > {{ rebuilt_through() }}
{%- endif %}
