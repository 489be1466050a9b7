{#- Village-level drug situation of the target villages from their latest survey round, for
    analysts and BI: counts below k (var suppression_k, default 5) are hidden with the cell
    that would reveal them, and flagged. Household answers never leave the restricted schema. -#}
with counts as (
    select * from {{ ref('int_village_drug_counts') }}
    where village_code in (select village_code from {{ ref('int_register_villages') }})
),

final as (
    select
        village_code,
        survey_round,
        households_answered,
        {% for measure in ['drug_use', 'drug_treatment', 'drug_arrest'] %}
        {{ suppressed_count('households_with_' ~ measure, 'households_answered') }}
            as households_with_{{ measure }},
        {{ suppressed_complement('households_with_' ~ measure, 'households_answered') }}
            as households_without_{{ measure }},
        {{ is_suppressed('households_with_' ~ measure, 'households_answered') }}
            as is_{{ measure }}_suppressed{% if not loop.last %},{% endif %}
        {% endfor %}
    from counts
)

select * from final
