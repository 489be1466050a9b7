{#- Reporting completeness and timeliness as DHIS2 defines them, per source kind and rolled up
    for the whole programme, per phase, province, district and agency: of the reports due by
    the evaluation date (as_of_date), how many were received, on time, late or are missing;
    reporting_rate = received / expected, on_time_rate = on time / expected (null when nothing
    is due yet). missing_since is the due date of the oldest missing report. Beside them, per
    source kind, the files failed or only partly read (listed in mart_files_not_read). -#}
{%- set levels = {
    'programme': [],
    'phase': ['phase'],
    'province': ['province_code'],
    'district': ['province_code', 'district_code'],
    'agency': ['agency_name'],
} -%}
{%- set keys = ['phase', 'province_code', 'district_code', 'agency_name'] -%}
with reports as (
    select * from {{ ref('fct_expected_reports') }}
),

files_not_read as (
    select
        source_kind,
        count(*) filter (where status = 'failed') as files_failed,
        count(*) filter (where status = 'partial') as files_partial
    from {{ ref('mart_files_not_read') }}
    group by source_kind
),

provinces as (
    select distinct province_code, province_name_th from {{ ref('stg_reference__subdistricts') }}
),

districts as (
    select distinct district_code, district_name_th from {{ ref('stg_reference__subdistricts') }}
),

rolled_up as (
    {%- for level, columns in levels.items() %}
    select
        '{{ level }}' as rollup_level,
        source_kind,
        {%- for key in keys %}
        {% if key in columns %}{{ key }}{% else %}cast(null as {{ 'integer' if key == 'phase' else dbt.type_string() }}){% endif %} as {{ key }},
        {%- endfor %}
        max(as_of_date) as as_of_date,
        count(*) filter (where is_due) as reports_expected,
        count(*) filter (where is_due and is_received) as reports_received,
        count(*) filter (where is_due and is_on_time) as reports_on_time,
        count(*) filter (where is_due and is_late) as reports_late,
        count(*) filter (where is_missing) as reports_missing,
        count(*) filter (where not is_due) as reports_not_yet_due,
        min(case when is_missing then due_date end) as missing_since
    from reports
    {%- if columns %}
    where {{ columns[-1] }} is not null
    {%- endif %}
    group by source_kind{% for column in columns %}, {{ column }}{% endfor %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        rolled_up.rollup_level,
        rolled_up.source_kind,
        rolled_up.phase,
        rolled_up.province_code,
        provinces.province_name_th,
        rolled_up.district_code,
        districts.district_name_th,
        rolled_up.agency_name,
        rolled_up.as_of_date,
        rolled_up.reports_expected,
        rolled_up.reports_received,
        rolled_up.reports_on_time,
        rolled_up.reports_late,
        rolled_up.reports_missing,
        rolled_up.reports_not_yet_due,
        {{ safe_divide('rolled_up.reports_received', 'rolled_up.reports_expected') }}
            as reporting_rate,
        {{ safe_divide('rolled_up.reports_on_time', 'rolled_up.reports_expected') }}
            as on_time_rate,
        rolled_up.missing_since,
        coalesce(files_not_read.files_failed, 0) as files_failed,
        coalesce(files_not_read.files_partial, 0) as files_partial
    from rolled_up
    left join provinces on rolled_up.province_code = provinces.province_code
    left join districts on rolled_up.district_code = districts.district_code
    left join files_not_read on rolled_up.source_kind = files_not_read.source_kind
)

select * from final
