{#- One row per landing file in the ingest ledger, with the date it arrived in Asia/Bangkok
    (the file's arrival decides a spreadsheet's timeliness). A ledger written before arrival
    times were kept falls back to when the file was first seen, then loaded. -#}
with source as (
    select * from {{ source('ingest', 'ingest_ledger') }}
),

dated as (
    select
        file_sha256,
        file_name,
        source_kind,
        status,
        rows_loaded,
        coalesce(arrived_at, first_seen_at, loaded_at) as arrived_at,
        coalesce(first_seen_at, loaded_at) as first_seen_at,
        loaded_at
    from source
),

final as (
    select *, {{ bangkok_date('arrived_at') }} as arrived_on
    from dated
)

select * from final
