{#- One row per report the programme expects, due yet or not (DHIS2's expected reports): the
    reporting_calendar seed crossed with who owes each report, never with what arrived. The
    register is owed per programme province (programme_provinces), a survey round and a
    village plan by every village of the phase in the target register, a projects and budget
    report by each agency for each province it reports for (reporting_agencies).

    A report is due once its due date is on or before the evaluation date (as_of); received
    when the warehouse holds it (a village's round: a counted household; a plan: a plan item;
    an agency report: a budget line of that agency, province and fiscal year; a register: a
    target village of the province), on the day it first arrived (a survey by its submission
    time, a spreadsheet by its file's arrival); on time when that day is not after the due
    date. -#}
with calendar as (
    select * from {{ ref('reporting_calendar') }}
),

villages as (
    select
        village_code,
        phase,
        substr(village_code, 1, 4) as district_code,
        substr(village_code, 1, 2) as province_code,
        source_file_sha256
    from {{ ref('int_register_villages') }}
),

files as (
    select file_sha256, arrived_on from {{ ref('stg_ingest__files') }}
),

register_received as (
    select villages.province_code, min(files.arrived_on) as received_on
    from villages
    left join files on villages.source_file_sha256 = files.file_sha256
    group by villages.province_code
),

plans_received as (
    select items.village_code, min(files.arrived_on) as received_on
    from {{ ref('fct_plan_items') }} as items
    left join files on items.source_file_sha256 = files.file_sha256
    group by items.village_code
),

agency_received as (
    select
        lines.agency_name,
        lines.province_code,
        lines.fiscal_year_be,
        min(files.arrived_on) as received_on
    from {{ ref('fct_budget_lines') }} as lines
    left join files on lines.source_file_sha256 = files.file_sha256
    group by lines.agency_name, lines.province_code, lines.fiscal_year_be
),

register_reports as (
    select
        calendar.*,
        provinces.province_code,
        cast(null as {{ dbt.type_string() }}) as district_code,
        cast(null as {{ dbt.type_string() }}) as village_code,
        cast(null as {{ dbt.type_string() }}) as agency_name,
        register_received.received_on
    from calendar
    cross join {{ ref('programme_provinces') }} as provinces
    left join register_received on provinces.province_code = register_received.province_code
    where calendar.source_kind = 'register'
),

village_reports as (
    -- a survey round or a village plan, owed by every village of the phase
    select
        calendar.*,
        villages.province_code,
        villages.district_code,
        villages.village_code,
        cast(null as {{ dbt.type_string() }}) as agency_name,
        coalesce(rounds.first_received_on, plans_received.received_on) as received_on
    from calendar
    inner join villages on calendar.phase = villages.phase
    left join {{ ref('int_village_survey_rounds') }} as rounds
        on calendar.source_kind = 'survey'
        and villages.village_code = rounds.village_code
        and calendar.survey_round = rounds.survey_round
    left join plans_received
        on calendar.source_kind = 'plans'
        and villages.village_code = plans_received.village_code
    where calendar.source_kind in ('survey', 'plans')
),

agency_reports as (
    select
        calendar.*,
        agencies.province_code,
        cast(null as {{ dbt.type_string() }}) as district_code,
        cast(null as {{ dbt.type_string() }}) as village_code,
        agencies.agency_name,
        agency_received.received_on
    from calendar
    cross join {{ ref('reporting_agencies') }} as agencies
    left join agency_received
        on agencies.agency_name = agency_received.agency_name
        and agencies.province_code = agency_received.province_code
        and calendar.fiscal_year_be = agency_received.fiscal_year_be
    where calendar.source_kind = 'agency'
),

reports as (
    select * from register_reports
    union all
    select * from village_reports
    union all
    select * from agency_reports
),

judged as (
    select
        source_kind,
        report,
        phase,
        survey_round,
        fiscal_year_be,
        province_code,
        district_code,
        village_code,
        agency_name,
        window_start,
        due_date,
        {{ as_of_date() }} as as_of_date,
        due_date <= {{ as_of_date() }} as is_due,
        received_on,
        received_on is not null as is_received,
        coalesce(received_on <= due_date, false) as is_on_time,
        coalesce(received_on > due_date, false) as is_late,
        due_date <= {{ as_of_date() }} and received_on is null as is_missing
    from reports
),

final as (
    select
        *,
        case
            when is_on_time then 'on time'
            when is_late then 'late'
            when is_missing then 'missing'
            else 'not yet due'
        end as reporting_status
    from judged
)

select * from final
