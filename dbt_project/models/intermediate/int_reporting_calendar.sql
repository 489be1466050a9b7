{#- The reporting calendar judged as of the evaluation date: which of its reports are due. The
    checks of what is due start here, from the calendar itself, so that a report due from
    nobody the warehouse knows (a phase with no village in the register) still counts. -#}
select
    calendar.*,
    {{ as_of_date() }} as as_of_date,
    calendar.due_date <= {{ as_of_date() }} as is_due
from {{ ref('reporting_calendar') }} as calendar
