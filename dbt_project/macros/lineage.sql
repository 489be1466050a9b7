{#- A loaded row's key: source file SHA-256 : sheet : row number (one row, whatever its name). -#}
{% macro source_row_id() -%}
    _file_sha256 || ':' || _sheet || ':' || cast(_row_number as {{ dbt.type_string() }})
{%- endmacro %}

{#- Where a row came from, as every staging model names it. -#}
{% macro lineage_columns() -%}
    _file_sha256 as source_file_sha256,
    _file_name as source_file_name,
    _sheet as source_sheet,
    _row_number as source_row_number
{%- endmacro %}

{#- The lineage columns of a model that has them, passed on as they are (from `relation`, a
    CTE's name, when the select joins several). -#}
{% macro lineage_of(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}source_file_sha256,
    {{ prefix }}source_file_name,
    {{ prefix }}source_sheet,
    {{ prefix }}source_row_number
{%- endmacro %}
