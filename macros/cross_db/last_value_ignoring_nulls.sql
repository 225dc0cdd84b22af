{#- The window function giving the frame's last non-null value of an expression, ready for OVER. -#}
{% macro last_value_ignoring_nulls(expression) %}
    {{ return(adapter.dispatch('last_value_ignoring_nulls', 'audience')(expression)) }}
{% endmacro %}

{#- SQL:2011's null treatment, after the call (Spark, Snowflake, Postgres-likes). -#}
{% macro default__last_value_ignoring_nulls(expression) -%}
    last_value({{ expression }}) ignore nulls
{%- endmacro %}

{#- DuckDB and BigQuery take it inside the call. -#}
{% macro duckdb__last_value_ignoring_nulls(expression) -%}
    last_value({{ expression }} ignore nulls)
{%- endmacro %}

{% macro bigquery__last_value_ignoring_nulls(expression) -%}
    {{ audience.duckdb__last_value_ignoring_nulls(expression) }}
{%- endmacro %}
