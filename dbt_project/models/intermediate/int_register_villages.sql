{#- One row per target village: its first register row. -#}
select * from {{ ref('int_register_rows') }}
where is_first_row
