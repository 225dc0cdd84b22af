{#- Cast that yields null instead of failing; dbt-duckdb's safe_cast is a plain cast, so DuckDB gets try_cast. -#}
{% macro try_cast(expression, data_type) %}
    {{ return(adapter.dispatch('try_cast', 'audience')(expression, data_type)) }}
{% endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
