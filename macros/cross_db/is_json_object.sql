{#- True when the text parses as a JSON object; false for broken JSON, scalars and arrays. -#}
{% macro is_json_object(json_column) %}
    {{ return(adapter.dispatch('is_json_object', 'audience')(json_column)) }}
{% endmacro %}

{% macro default__is_json_object(json_column) -%}
    ({{ json_column }} is json object)
{%- endmacro %}

{% macro duckdb__is_json_object(json_column) -%}
    {#- case, not `and`: DuckDB evaluates both sides of `and`, and json_type fails on broken JSON. -#}
    case when json_valid({{ json_column }}) then json_type({{ json_column }}) = 'OBJECT' else false end
{%- endmacro %}

{% macro snowflake__is_json_object(json_column) -%}
    coalesce(is_object(try_parse_json({{ json_column }})), false)
{%- endmacro %}

{% macro bigquery__is_json_object(json_column) -%}
    coalesce(json_type(safe.parse_json({{ json_column }})) = 'object', false)
{%- endmacro %}

{#- Spark: its parser stops after the first value and ignores what follows (`{"a": 1}}`), so the
    text is also read inside brackets, where anything after the object breaks the array or adds an
    element. -#}
{% macro spark__is_json_object(json_column) -%}
    coalesce(
        json_array_length('[' || {{ json_column }} || ']') = 1
        and startswith(schema_of_variant(try_parse_json({{ json_column }})), 'OBJECT'),
        false
    )
{%- endmacro %}
