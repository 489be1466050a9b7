{#- Every register row, with whether it is the first row of its village: a village listed twice
    (in one file or two) counts once, as its first row says; the others are set aside in
    fct_excluded_rows. -#}
with register as (
    select * from {{ ref('stg_register__villages') }}
),

ranked as (
    select
        register.*,
        row_number() over (
            partition by village_code
            order by source_file_name, source_sheet, source_row_number
        ) as village_row_rank,
        first_value(source_file_name) over (
            partition by village_code
            order by source_file_name, source_sheet, source_row_number
        ) as first_source_file_name,
        first_value(source_row_number) over (
            partition by village_code
            order by source_file_name, source_sheet, source_row_number
        ) as first_source_row_number
    from register
)

select
    ranked.*,
    village_row_rank = 1 as is_first_row
from ranked
