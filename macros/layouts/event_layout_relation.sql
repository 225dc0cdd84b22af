{#-
    SQL (a query) of the `segment` source table `table_name` read in the layout var event_layout
    names, with the columns its sources YAML declares and `_invalid_encoding`; none in the
    json_properties layout, where the table is read as declared. `relation` is the source's
    relation: the layout's tables are in its database and schema.
-#}
{% macro event_layout_relation(relation, table_name) %}
    {%- set layout = audience.event_layout() -%}
    {%- if layout == 'json_properties' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.segment.' ~ table_name] -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append({'name': column.name, 'data_type': column.data_type}) -%}
    {%- endfor -%}
    {%- if layout == 'snowplow_atomic' -%}
        {{ return(audience.snowplow_atomic_events(relation, table_name, columns)) }}
    {%- endif -%}
    {{ return(audience.warehouse_event_tables(relation, table_name, columns)) }}
{% endmacro %}
