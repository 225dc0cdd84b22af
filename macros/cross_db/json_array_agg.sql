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

{#- Spark: no ordered aggregate of arrays; rows collected with their sort key, sorted, then kept. -#}
{% macro spark__json_array_agg(expression, order_by, where) -%}
    parse_json(coalesce(to_json(transform(
        array_sort(collect_list(case when {{ where }} then named_struct('sort_key', {{ order_by }}, 'item', {{ expression }}) end)),
        entry -> entry.item
    )), '[]'))
{%- endmacro %}

{#- Snowflake and BigQuery: parsed in CI (`make engines-parse`), not run there. Their array
    aggregates leave out nulls, so the rows where `where` fails are made null. -#}
{% macro snowflake__json_array_agg(expression, order_by, where) -%}
    coalesce(array_agg(case when {{ where }} then {{ expression }} end) within group (order by {{ order_by }}), array_construct())
{%- endmacro %}

{% macro bigquery__json_array_agg(expression, order_by, where) -%}
    to_json(coalesce(array_agg(if({{ where }}, {{ expression }}, null) ignore nulls order by {{ order_by }}), []))
{%- endmacro %}
