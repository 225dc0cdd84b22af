{#- The median of an expression, as an aggregate. BigQuery has no ordered-set aggregates. -#}
{% macro median(expression) %}
    {{ return(adapter.dispatch('median', 'audience')(expression)) }}
{% endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro bigquery__median(expression) -%}
    approx_quantiles({{ expression }}, 2)[offset(1)]
{%- endmacro %}
