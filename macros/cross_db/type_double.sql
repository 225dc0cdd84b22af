{#- The engine's 64-bit floating-point type (dbt.type_float() is 32-bit on DuckDB). -#}
{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'audience')()) }}
{% endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
