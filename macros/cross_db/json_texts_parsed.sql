{#-
    The JSON object text `json_column` parsed once into a value that holds the text of each of
    `keys` (read with json_parsed_text): a model that reads many keys of a document parses it
    once per row rather than once per key.
-#}
{% macro json_texts_parsed(json_column, keys) %}
    {{ return(adapter.dispatch('json_texts_parsed', 'audience')(json_column, keys)) }}
{% endmacro %}

{% macro default__json_texts_parsed(json_column, keys) -%}
    {{ json_column }}
{%- endmacro %}

{% macro duckdb__json_texts_parsed(json_column, keys) -%}
    {#- one list of texts, in the order of keys: json_extract_string parses once for all paths -#}
    json_extract_string({{ json_column }}, [
        {%- for key in keys %}'$.{{ key }}'{{ ', ' if not loop.last }}{% endfor -%}
    ])
{%- endmacro %}

{% macro snowflake__json_texts_parsed(json_column, keys) -%}
    try_parse_json({{ json_column }})
{%- endmacro %}

{% macro spark__json_texts_parsed(json_column, keys) -%}
    from_json({{ json_column }}, 'map<string, string>')
{%- endmacro %}
