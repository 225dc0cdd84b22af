{% macro is_incremental_with(columns) %}
    {#-
        is_incremental(), and the model's stored table has every one of `columns`. A model whose
        table was stored by a release without one of them is then built whole, as in a full
        build, in its incremental run: its delete+insert replaces every row, and
        on_schema_change='append_new_columns' adds the columns first. So an upgrade needs no
        --full-refresh of a model derived from other tables. False at parse time.
    -#}
    {%- if not execute or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {#- a unit test's `this` is its fixture's name, whose columns the test gives -#}
    {%- if this is string -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set stored = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- for column in columns if column | lower not in stored -%}
        {{ return(false) }}
    {%- endfor -%}
    {{ return(true) }}
{% endmacro %}
