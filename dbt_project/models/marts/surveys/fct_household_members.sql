{#- One row per member of a household questionnaire that counts, once per submission and
    roster position. Identifiers are pseudonyms; names were never read. -#}
with members as (
    select * from {{ ref('int_household_members') }}
    where is_counted
),

final as (
    select
        member_id,
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
        {{ lineage_of() }}
    from members
)

select * from final
