{#- The text at top-level `key` of a value json_texts_parsed(json_column, keys) made (null when absent). -#}
{% macro json_parsed_text(parsed_column, keys, key) %}
    {%- if key not in keys -%}
        {{ exceptions.raise_compiler_error(
            "json_parsed_text: '" ~ key ~ "' is not one of the keys parsed (" ~ keys | join(', ') ~ ")") }}
    {%- endif -%}
    {{ return(adapter.dispatch('json_parsed_text', 'audience')(parsed_column, keys, key)) }}
{% endmacro %}

{% macro default__json_parsed_text(parsed_column, keys, key) -%}
    {{ audience.json_extract_text(parsed_column, key) }}
{%- endmacro %}

{% macro duckdb__json_parsed_text(parsed_column, keys, key) -%}
    {{ parsed_column }}[{{ keys.index(key) + 1 }}]
{%- endmacro %}

{% macro snowflake__json_parsed_text(parsed_column, keys, key) -%}
    {{ parsed_column }}:{{ key }}::varchar
{%- endmacro %}

{% macro spark__json_parsed_text(parsed_column, keys, key) -%}
    {{ parsed_column }}['{{ key }}']
{%- endmacro %}
