{#- Incremental facts (docs/architecture.md, "Incremental facts"). A growing fact is a table
    that a run changes only where its landing files changed: the rows of files new to it are
    computed and inserted, and every partition those rows touch (a rule that spans files, such
    as which copy of a submission counts, is judged within one partition) is rebuilt whole.
    Rows of files no longer loaded (replaced by a new version) leave it; a change of the rules
    it depends on (the register, a seed) rebuilds it all. `dbt build --full-refresh` rebuilds
    every one from the raw tables and gives the same rows. -#}

{#- How a growing fact is materialized: `incremental` with the strategy below where it runs
    (DuckDB), else a table rebuilt whole from the raw tables on every run, which gives the same
    rows (Spark: dbt-spark accepts only its own strategies, and deleting a partition's rows
    needs a table format with deletes, Delta Lake or Iceberg; docs/scale-out.md). -#}
{% macro growing_fact_materialization() -%}
    {{ return(adapter.dispatch('growing_fact_materialization')()) }}
{%- endmacro %}

{% macro default__growing_fact_materialization() -%}
    {{ return('table') }}
{%- endmacro %}

{% macro duckdb__growing_fact_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{#- The strategy 'replace_partitions': every partition (the model's unique_key) that has a row
    in the batch is deleted, then the batch's rows are inserted, those matching the model's
    `keep_rows_where` only (default: all). A batch thus also carries the rows of a rebuilt
    partition that the model does not keep (a copy of a submission that does not count), so
    that a partition left with nothing to keep is emptied rather than kept as it was. -#}
{% macro get_incremental_replace_partitions_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set partition = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ partition }} in (
        select {{ partition }} from {{ batch }} where {{ partition }} is not null
    );
    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ batch }}
    where {{ config.get('keep_rows_where', 'true') }}
{%- endmacro %}

{#- The files of a source kind whose rows are in the raw tables now (a replaced version's rows
    are deleted from them at ingest, in the transaction that loads the new one). -#}
{% macro loaded_files(source_kind) -%}
    select file_sha256
    from {{ ref('stg_ingest__files') }}
    where source_kind = '{{ source_kind }}' and status in ('loaded', 'partial')
{%- endmacro %}

{#- The loaded files of a source kind that have no row in this incremental model yet, as a
    list of SHA-256 (empty when not incremental). A file with no row the model keeps (a members
    file, to the households) is listed on every run; reading it finds nothing to insert. -#}
{% macro files_new_to_this(source_kind) -%}
    {%- set query -%}
        select file_sha256 from ({{ loaded_files(source_kind) }}) as loaded
        where file_sha256 not in (
            select source_file_sha256 from {{ this }} where source_file_sha256 is not null
        )
        order by file_sha256
    {%- endset -%}
    {%- if execute and is_incremental() -%}
        {{ return(run_query(query).columns[0].values() | list) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}

{#- A list of SHA-256 as an SQL list for `in`: ('a', 'b'), or (null) when empty (matches none). -#}
{% macro sha_list(shas) -%}
    {%- if shas | length == 0 -%}(null){%- else -%}('{{ shas | join("', '") }}'){%- endif -%}
{%- endmacro %}

{#- post_hook of every incremental fact: the rows of files no longer loaded leave it, and, when
    this run rebuilt partitions under rules or code other than a row's, so does that row (a
    change of rules rebuilds every partition). `fingerprinted`: the model stores
    rules_fingerprint. -#}
{% macro delete_rows_not_current(source_kind, fingerprinted=true) -%}
    {%- set loaded = loaded_files(source_kind) -%}  {#- rendered when parsed: the ref is known -#}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where source_file_sha256 not in ({{ loaded }})
    {%- if fingerprinted %}
        or coalesce(rules_fingerprint, '') != (
            select max(rules_fingerprint) from {{ this }}
            where rebuilt_at = {{ this_run_started_at() }}
        )
    {%- endif %}
    {%- endif -%}
{%- endmacro %}

{#- A fingerprint of the rules a fact applies: a hash of the rows of the small relations
    (seeds, the register) it reads, `rules` a list of (relation, [columns]), and of its code
    (code_fingerprint). Stored on every row of the fact as rules_fingerprint; when it changes,
    the next incremental run rebuilds every partition and drops the rows built before. -#}
{% macro rules_fingerprint(rules=[]) -%}
    {%- set parts = ["'" ~ code_fingerprint() ~ "'"] -%}
    {%- for relation, columns in rules -%}
        {%- set cells = [] -%}
        {%- for column in columns -%}
            {%- do cells.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
        {%- endfor -%}
        {%- set row_text = cells | join(" || '|' || ") -%}
        {%- do parts.append(
            "(select coalesce(" ~ dbt.listagg(row_text, "';'", "order by " ~ row_text)
            ~ ", '') from " ~ relation ~ ")"
        ) -%}
    {%- endfor -%}
    {{ dbt.hash(parts | join(" || '#' || ")) }}
{%- endmacro %}

{#- The MD5 of the model's SQL and of the project's macros it calls (and those they call), so
    that a changed model rebuilds itself rather than keep rows an older version computed. -#}
{% macro code_fingerprint() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set queue = model.depends_on.macros | list -%}
    {%- set sources = {} -%}
    {%- for position in range(1000) if position < queue | length -%}
        {%- set unique_id = queue[position] -%}
        {%- if unique_id.startswith('macro.' ~ project_name ~ '.') and unique_id not in sources -%}
            {%- set called = context[unique_id.split('.')[-1]].macro -%}
            {%- do sources.update({unique_id: called.macro_sql}) -%}
            {%- do queue.extend(called.depends_on.macros) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set texts = [model.raw_code] -%}
    {%- for unique_id in sources | sort -%}
        {%- do texts.append(sources[unique_id]) -%}
    {%- endfor -%}
    {{ return(local_md5(texts | join('\n'))) }}
{%- endmacro %}

{#- Whether the rules fingerprint differs from the one this model was built with (true when
    the model is empty, or was built before it stored one); false when not incremental. -#}
{% macro rules_changed(fingerprint) -%}
    {%- set query -%}
        select coalesce((select max(rules_fingerprint) from {{ this }}) != {{ fingerprint }}, true)
    {%- endset -%}
    {%- if execute and is_incremental() -%}
        {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- if 'rules_fingerprint' not in columns -%}{{ return(true) }}{%- endif -%}
        {{ return(run_query(query).columns[0].values()[0]) }}
    {%- endif -%}
    {{ return(false) }}
{%- endmacro %}

{#- When this run rebuilt a partition: the run's start (UTC), on every row it wrote. A model
    downstream of an incremental one rebuilds the partitions rebuilt upstream since its own
    latest rebuilt_at (so a run that died in between is caught up by the next one). -#}
{% macro this_run_started_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- The latest rebuilt_at of this model: what it has caught up with upstream. -#}
{% macro rebuilt_through() -%}
    (select coalesce(max(rebuilt_at), cast('1900-01-01' as timestamp)) from {{ this }})
{%- endmacro %}

{#- The survey rules int_household_surveys applies: the register (where a row is, a village's
    phase), the survey rounds of the reporting calendar and the BMN income lines. -#}
{% macro survey_rules_fingerprint() -%}
    {{ rules_fingerprint([
        (ref('int_register_villages'), ['village_code', 'village_name_key', 'phase']),
        (ref('reporting_calendar'), ['source_kind', 'phase', 'fiscal_year_be', 'survey_round']),
        (ref('bmn_income_lines'), ['first_year_be', 'last_year_be', 'income_line_baht_per_person_year']),
    ]) }}
{%- endmacro %}

{#- The rules of the budget lines and plan items: the register and the agency name variants. -#}
{% macro village_lines_rules_fingerprint() -%}
    {{ rules_fingerprint([
        (ref('int_register_villages'), ['village_code', 'village_name_key', 'phase']),
        (ref('agency_name_variants'), ['name_variant', 'agency_name', 'agency_type']),
    ]) }}
{%- endmacro %}

{#- The facts downstream of an incremental model apply no rule of their own: their code only. -#}
{% macro code_rules_fingerprint() -%}
    {{ rules_fingerprint([]) }}
{%- endmacro %}
