{#-
    A JSON object, as a string, from a mapping of key to SQL expression (keys are literals; values
    keep their JSON type where the engine has a JSON constructor). Null values are kept as null.
-#}
{% macro json_object(expressions_by_key) %}
    {{ return(adapter.dispatch('json_object', 'audience')(expressions_by_key)) }}
{% endmacro %}

{% macro default__json_object(expressions_by_key) -%}
    {%- set members = [] -%}
    {%- for key, expression in expressions_by_key.items() -%}
        {%- do members.append(
            "'\"" ~ key ~ "\": ' || coalesce('\"' || replace(cast(" ~ expression ~ " as " ~ dbt.type_string()
            ~ "), '\"', '\\\"') || '\"', 'null')"
        ) -%}
    {%- endfor -%}
    {%- if members -%}
        ('{' || {{ members | join(" || ', ' || ") }} || '}')
    {%- else -%}
        '{}'
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__json_object(expressions_by_key) -%}
    {%- if expressions_by_key -%}
        cast(json_object(
            {%- for key, expression in expressions_by_key.items() %}
            '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
            {%- endfor %}
        ) as {{ dbt.type_string() }})
    {%- else -%}
        '{}'
    {%- endif -%}
{%- endmacro %}

{% macro snowflake__json_object(expressions_by_key) -%}
    to_json(object_construct_keep_null(
        {%- for key, expression in expressions_by_key.items() %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{% macro bigquery__json_object(expressions_by_key) -%}
    to_json_string(json_object(
        {%- for key, expression in expressions_by_key.items() %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{#- Spark: to_json drops null members unless told not to. -#}
{% macro spark__json_object(expressions_by_key) -%}
    {%- if expressions_by_key -%}
        to_json(named_struct(
            {%- for key, expression in expressions_by_key.items() %}
            '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
            {%- endfor %}
        ), map('ignoreNullFields', 'false'))
    {%- else -%}
        '{}'
    {%- endif -%}
{%- endmacro %}
