{#-
    Aggregate: a JSON object with one member per row of the group, `key` (text) to `value` (a JSON
    value: json_value of a json_object, say), members in key order. The result keeps the
    engine's JSON type.
-#}
{% macro json_object_agg(key, value) %}
    {{ return(adapter.dispatch('json_object_agg', 'audience')(key, value)) }}
{% endmacro %}

{% macro default__json_object_agg(key, value) %}
    {{ exceptions.raise_compiler_error(
        "json_object_agg: no implementation for the " ~ target.type ~ " adapter yet") }}
{% endmacro %}

{% macro duckdb__json_object_agg(key, value) -%}
    to_json(map_from_entries(list(({{ key }}, {{ value }}) order by {{ key }})))
{%- endmacro %}

{#- Spark: values are variants, which do not sort, so the members are sorted by key alone. -#}
{% macro spark__json_object_agg(key, value) -%}
    parse_json(to_json(map_from_entries(array_sort(
        collect_list(struct({{ key }}, {{ value }})),
        (left, right) -> case when left.col1 < right.col1 then -1 when left.col1 > right.col1 then 1 else 0 end
    ))))
{%- endmacro %}

{#- Snowflake and BigQuery: parsed in CI (`make engines-parse`), not run there. -#}
{% macro snowflake__json_object_agg(key, value) -%}
    object_agg({{ key }}, {{ value }})
{%- endmacro %}

{% macro bigquery__json_object_agg(key, value) -%}
    json_object(array_agg({{ key }} order by {{ key }}), array_agg({{ value }} order by {{ key }}))
{%- endmacro %}
