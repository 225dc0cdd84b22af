{#-
    The window function `last_value(expression)` skipping nulls (follow it with `over (...)`): the
    last non-null value of the frame. Spelled differently on each engine.
-#}
{% macro last_value_ignoring_nulls(expression) %}
    {{ return(adapter.dispatch('last_value_ignoring_nulls', 'audience')(expression)) }}
{% endmacro %}

{% macro default__last_value_ignoring_nulls(expression) -%}
    last_value({{ expression }}) ignore nulls
{%- endmacro %}

{% macro duckdb__last_value_ignoring_nulls(expression) -%}
    last_value({{ expression }} ignore nulls)
{%- endmacro %}

{% macro spark__last_value_ignoring_nulls(expression) -%}
    last_value({{ expression }}, true)
{%- endmacro %}
