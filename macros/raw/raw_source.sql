{#-
    `source(source_name, table_name)`, or, when raw data is read from warehouse tables
    (raw_format = table) and the table does not exist there while its source is marked
    `meta: {optional: true}`, an empty relation with the columns the sources YAML declares. With
    raw files the registration hook already gives an absent optional table an empty view. An event
    table read in another layout than json_properties (var event_layout) is the layout's query
    (macro event_layout_relation), in parentheses.
-#}
{% macro raw_source(source_name, table_name) %}
    {%- set relation = source(source_name, table_name) -%}
    {#- unit tests give no graph of sources: their inputs stand in for the table -#}
    {%- set node = (graph.get('sources') or {}).get(
        'source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name) if execute else none -%}
    {%- if node is not none and source_name == 'segment' -%}
        {%- set layout_query = audience.event_layout_relation(relation, table_name) -%}
        {%- if layout_query is not none -%}
            {{ return('(' ~ layout_query ~ ')') }}
        {%- endif -%}
    {%- endif -%}
    {%- if not execute or var('raw_format', env_var('AUDIENCE_RAW_FORMAT', 'files')) != 'table' -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- if node is none or not (node.source_meta.get('optional') or node.meta.get('optional')) -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.update({adapter.quote(column.name): column.data_type}) -%}
    {%- endfor -%}
    {{ return(audience.relation_or_empty(relation, columns)) }}
{% endmacro %}
