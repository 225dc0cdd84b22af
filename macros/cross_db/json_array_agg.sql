{#-
    Aggregate: a JSON array of `expression` over the group's rows where `where` holds, in
    `order_by` order; `[]` when no row qualifies. The result keeps the engine's JSON type, so
    json_object embeds it as an array rather than as a string.
-#}
{% macro json_array_agg(expression, order_by, where='true') %}
    {{ return(adapter.dispatch('json_array_agg', 'audience')(expression, order_by, where)) }}
{% endmacro %}

{% macro default__json_array_agg(expression, order_by, where) %}
    {{ exceptions.raise_compiler_error(
        "json_array_agg: no implementation for the " ~ target.type ~ " adapter yet") }}
{% endmacro %}

{% macro duckdb__json_array_agg(expression, order_by, where) -%}
    coalesce(to_json(list({{ expression }} order by {{ order_by }}) filter (where {{ where }})), json('[]'))
{%- endmacro %}
