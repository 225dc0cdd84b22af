{#-
    The JSON text `expression` (e.g. from json_object) as the engine's JSON type, so that
    json_object and json_object_agg embed it as JSON rather than as a string.
-#}
{% macro json_value(expression) %}
    {{ return(adapter.dispatch('json_value', 'audience')(expression)) }}
{% endmacro %}

{% macro default__json_value(expression) %}
    {{ exceptions.raise_compiler_error(
        "json_value: no implementation for the " ~ target.type ~ " adapter yet") }}
{% endmacro %}

{% macro duckdb__json_value(expression) -%}
    json({{ expression }})
{%- endmacro %}

{% macro spark__json_value(expression) -%}
    parse_json({{ expression }})
{%- endmacro %}

{#- Snowflake (a VARIANT) and BigQuery (JSON): parsed in CI (`make engines-parse`), not run
    there. -#}
{% macro snowflake__json_value(expression) -%}
    parse_json({{ expression }})
{%- endmacro %}

{% macro bigquery__json_value(expression) -%}
    parse_json({{ expression }})
{%- endmacro %}
