{#-
    The relation of a seed of this project as built, found in the graph rather than by ref() so
    macros may read it at run time from any node, or none when it is not built yet (a `dbt
    compile` or lint before `dbt seed`). dbt gives unit tests an empty graph: there the seed is
    looked up in the seeds' schema (`+schema: reference` in dbt_project.yml).
-#}
{% macro _seed_relation(seed_name) %}
    {%- set node = (graph.get('nodes') or {}).get('seed.' ~ project_name ~ '.' ~ seed_name) -%}
    {%- if node is not none -%}
        {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=target.get('database'),
        schema=generate_schema_name('reference', none) | trim, identifier=seed_name)) }}
{% endmacro %}
