{% macro table_before_rename(old_name) %}
    {#-
        The table this incremental model was called before a rename (release 0.2.0), when the
        model is built for the first time under its new name and that table still exists in its
        schema; none otherwise. The first build carries the old table's history over, before
        the compat view of the old name replaces the table.
    -#}
    {%- if not execute or is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set old = adapter.get_relation(database=this.database, schema=this.schema, identifier=old_name) -%}
    {{ return(old if old is not none and old.is_table else none) }}
{% endmacro %}
