{#- The landing files whose data is not all in the warehouse: failed (could not be read at
    all, retried on every run while it stays in the landing folder) or partial (loaded, but a
    sheet holding a table was read by nothing), with the day the pipeline first saw each one
    (missing since). Names and places only: never an error text, which may quote a cell. -#}
with files as (
    select * from {{ ref('stg_ingest__files') }}
    where status in ('failed', 'partial')
),

sheets as (
    select * from {{ source('ingest', 'ingest_sheets') }}
),

sheets_not_read as (
    select
        file_sha256,
        file_name,
        count(*) as sheets_not_read,
        {{ dbt.listagg('sheet', "' | '", 'order by sheet_position') }} as sheet_names_not_read
    from sheets
    where status = 'ignored' and holds_table
    group by file_sha256, file_name
),

final as (
    select
        files.source_kind,
        files.file_name,
        files.file_sha256,
        files.status,
        {{ bangkok_date('files.first_seen_at') }} as missing_since,
        files.rows_loaded,
        coalesce(sheets_not_read.sheets_not_read, 0) as sheets_not_read,
        sheets_not_read.sheet_names_not_read
    from files
    left join sheets_not_read
        on files.file_sha256 = sheets_not_read.file_sha256
        and files.file_name = sheets_not_read.file_name
)

select * from final
