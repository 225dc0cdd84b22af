{#-
    SQL: a Snowplow self-describing event or entity column as JSON text, whether it was loaded as
    JSON text or as typed columns (struct, array of structs, variant), given its `column_type`.
    With first_element the column is an array of entities (a `contexts_` column) and its first
    one is taken. Text is passed on as it is, so staging can reject a malformed object.
-#}
{% macro layout_json_text(value, column_type, first_element=false) %}
    {{ return(adapter.dispatch('layout_json_text', 'audience')(value, column_type, first_element)) }}
{% endmacro %}

{% macro default__layout_json_text(value, column_type, first_element) -%}
    {%- if first_element -%}
        json_query(cast({{ value }} as {{ dbt.type_string() }}), '$[0]')
    {%- else -%}
        cast({{ value }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__layout_json_text(value, column_type, first_element) -%}
    {%- set is_text = column_type in ('varchar', 'json', 'text') -%}
    {%- if first_element -%}
        cast(json_extract({{ 'try_cast(' ~ value ~ ' as json)' if is_text else 'to_json(' ~ value ~ ')' }}, '$[0]') as varchar)
    {%- elif is_text -%}
        cast({{ value }} as varchar)
    {%- else -%}
        cast(to_json({{ value }}) as varchar)
    {%- endif -%}
{%- endmacro %}
