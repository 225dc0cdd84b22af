{#-
    A number in [0, 1) from the md5 of a string expression: the first 8 hex digits as an
    unsigned integer over 2^32. The same input gives the same number on every engine and every run,
    so it serves deterministic assignment (holdouts, experiment arms).
-#}
{% macro hash_to_unit_interval(expression) %}
    {{ return(adapter.dispatch('hash_to_unit_interval', 'audience')(expression)) }}
{% endmacro %}

{% macro default__hash_to_unit_interval(expression) -%}
    (cast(conv(substr(md5(cast({{ expression }} as {{ dbt.type_string() }})), 1, 8), 16, 10) as bigint) / 4294967296.0)
{%- endmacro %}

{% macro duckdb__hash_to_unit_interval(expression) -%}
    (cast(('0x' || substr(md5(cast({{ expression }} as {{ dbt.type_string() }})), 1, 8)) as ubigint) / 4294967296.0)
{%- endmacro %}

{% macro snowflake__hash_to_unit_interval(expression) -%}
    (to_number(substr(md5(cast({{ expression }} as {{ dbt.type_string() }})), 1, 8), 'XXXXXXXX') / 4294967296.0)
{%- endmacro %}

{% macro bigquery__hash_to_unit_interval(expression) -%}
    (cast(concat('0x', substr(to_hex(md5(cast({{ expression }} as string))), 1, 8)) as int64) / 4294967296.0)
{%- endmacro %}
