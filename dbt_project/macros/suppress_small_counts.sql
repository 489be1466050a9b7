{#- Small-cell suppression for counts that analysts and BI read: a count below k (var
    suppression_k) is hidden (null), and so is its complement (total - count), which would
    otherwise reveal it next to the total. -#}
{% macro suppressed_count(count, total) -%}
    case when {{ is_suppressed(count, total) }} then null else {{ count }} end
{%- endmacro %}

{% macro suppressed_complement(count, total) -%}
    case when {{ is_suppressed(count, total) }} then null else {{ total }} - {{ count }} end
{%- endmacro %}

{% macro is_suppressed(count, total) -%}
    ({{ count }} < {{ var('suppression_k') }} or {{ total }} - {{ count }} < {{ var('suppression_k') }})
{%- endmacro %}
