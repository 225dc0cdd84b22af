{#-
    SQL of a relation (a table name, or an empty subquery) with the persisted erasure list,
    `int_identifiers_erased` (identifier_hash, purged_at, ...), as the previous run left it.
    Staging reads it this way rather than through ref(): the list is computed from the identity
    graph, which is built from staging, so a ref would be a cycle. Empty when the list was never
    built, at parse time and in unit tests (no project graph).
-#}
{% macro erasure_list() %}
    {%- set empty -%}
        (select
            cast(null as {{ dbt.type_string() }}) as identifier_hash,
            cast(null as {{ dbt.type_timestamp() }}) as purged_at
        where 1 = 0)
    {%- endset -%}
    {%- if not execute or 'nodes' not in graph -%}
        {{ return(empty) }}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.audience.int_identifiers_erased') -%}
    {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) if node else none -%}
    {{ return(relation if relation is not none else empty) }}
{% endmacro %}
