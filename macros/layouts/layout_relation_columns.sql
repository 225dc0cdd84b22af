{#-
    The raw table `identifier` next to the source relation `relation` (same database and schema):
    {relation, columns}, columns mapping each lower-case column name to {quoted, type} (the
    engine's own type name, lower case); none when
    the table does not exist. Layouts read what is there: a missing column is null, an extra one
    ignored.
-#}
{% macro layout_relation_columns(relation, identifier) %}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=identifier) -%}
    {%- if found is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for column in adapter.get_columns_in_relation(found) -%}
        {%- do columns.update({column.name | lower: {'quoted': adapter.quote(column.name), 'type': column.dtype | lower}}) -%}
    {%- endfor -%}
    {{ return({'relation': found, 'columns': columns}) }}
{% endmacro %}
