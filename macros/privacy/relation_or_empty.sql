{#-
    SQL of `relation` when it exists in the warehouse, else of an empty relation with `columns`
    ({name: SQL type}): for state tables that dbt does not build and that appear later (the sync
    history, the deletion log). The empty one at parse time and when `relation` is none.
-#}
{% macro relation_or_empty(relation, columns) %}
    {%- set found = none -%}
    {%- if execute and relation is not none -%}
        {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
    {%- endif -%}
    {%- if found is not none -%}
        {{ return(found) }}
    {%- endif -%}
    {%- set casts = [] -%}
    {%- for name, type in columns.items() -%}
        {%- do casts.append('cast(null as ' ~ type ~ ') as ' ~ name) -%}
    {%- endfor -%}
    {{ return('(select ' ~ casts | join(', ') ~ ' where 1 = 0)') }}
{% endmacro %}
