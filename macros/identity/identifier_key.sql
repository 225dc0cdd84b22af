{#- One text key per identifier, `<type>:<value>`, so identifiers of every type share one column. -#}
{% macro identifier_key(identifier_type, identifier_value) -%}
    {{ identifier_type }} || ':' || {{ identifier_value }}
{%- endmacro %}
