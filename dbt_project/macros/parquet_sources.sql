{#- The sources as views over their Parquet copies, for a Spark started with no catalog of the
    warehouse (the `spark` target of profiles.yml: Spark inside dbt's process, its catalog in
    memory): every source table schema.table becomes a view over the folder
    <folder>/<schema>/<table>, as sources/raw_export.py writes them. Run as
    `dbt run-operation register_parquet_sources --args '{folder: ...}'` in the process that then
    builds (orchestration/spark_dbt.py). A view, so that running it again replaces it, and a
    real table of that name (a cluster's metastore) is never dropped: creating the view fails.
    DuckDB reads the warehouse itself. -#}
{% macro register_parquet_sources(folder) -%}
    {{ return(adapter.dispatch('register_parquet_sources')(folder)) }}
{%- endmacro %}

{% macro default__register_parquet_sources(folder) -%}
    {{ exceptions.raise_compiler_error(
        'register_parquet_sources is for the spark target; ' ~ target.type
        ~ ' reads the warehouse itself'
    ) }}
{%- endmacro %}

{% macro spark__register_parquet_sources(folder) -%}
    {%- for source in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- set location = folder ~ '/' ~ source.schema ~ '/' ~ source.identifier -%}
        {%- do run_query('create schema if not exists ' ~ source.schema) -%}
        {%- do run_query(
            'create or replace view ' ~ source.schema ~ '.' ~ source.identifier
            ~ ' as select * from parquet.`' ~ location ~ '`'
        ) -%}
        {{ log('source ' ~ source.schema ~ '.' ~ source.identifier ~ ': a view over ' ~ location, info=true) }}
    {%- endfor -%}
{%- endmacro %}
