{#- The value at top-level `key` of a JSON object string, as text (null when absent). -#}
{% macro json_extract_text(json_column, key) %}
    {{ return(adapter.dispatch('json_extract_text', 'audience')(json_column, key)) }}
{% endmacro %}

{% macro default__json_extract_text(json_column, key) -%}
    json_value({{ json_column }}, '$.{{ key }}')
{%- endmacro %}

{% macro duckdb__json_extract_text(json_column, key) -%}
    json_extract_string({{ json_column }}, '$.{{ key }}')
{%- endmacro %}

{% macro snowflake__json_extract_text(json_column, key) -%}
    try_parse_json({{ json_column }}):{{ key }}::varchar
{%- endmacro %}

{% macro spark__json_extract_text(json_column, key) -%}
    get_json_object({{ json_column }}, '$.{{ key }}')
{%- endmacro %}
