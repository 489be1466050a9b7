{#- Each calendar row names what its report is owed for: a survey round its phase and round, a
    village plan its phase, an agency report its fiscal year; a window never opens after it is due. -#}
select source_kind, phase, survey_round, fiscal_year_be
from {{ ref('reporting_calendar') }}
where (source_kind = 'survey' and (phase is null or survey_round is null))
   or (source_kind = 'plans' and phase is null)
   or (source_kind = 'agency' and fiscal_year_be is null)
   or window_start > due_date
