{#-
    The deletion log: `deletion_log` next to the erasure list (schema pii), one row per table and
    purge (an erasure, or data past its retention window), with what was deleted, why, when and
    how many rows, and no identifier. Returns [relation, the statements creating it if missing]
    ([none, []] at parse time); the purge hooks append to it, fct_audit_log reads it.
-#}
{% macro deletion_log() %}
    {%- set node = graph.nodes.get('model.audience.int_identifiers_erased') if 'nodes' in graph else none -%}
    {%- if node is none -%}
        {{ return([none, []]) }}
    {%- endif -%}
    {%- set relation = api.Relation.create(database=node.database, schema=node.schema, identifier='deletion_log') -%}
    {%- set string = dbt.type_string() -%}
    {%- set bigint = dbt.type_bigint() -%}
    {%- set ddl -%}
        create table if not exists {{ relation }} (
            deleted_at {{ dbt.type_timestamp() }},
            invocation_id {{ string }},
            reason {{ string }},
            request_count {{ bigint }},
            identifier_count {{ bigint }},
            person_count {{ bigint }},
            relation_name {{ string }},
            rows_deleted {{ bigint }}
        )
    {%- endset -%}
    {{ return([relation, ['create schema if not exists ' ~ relation.without_identifier(), ddl]]) }}
{% endmacro %}
