{#- The `materialized` hint for a CTE referenced several times, where the engine has one. -#}
{% macro materialized_cte() %}
    {{ return(adapter.dispatch('materialized_cte', 'audience')()) }}
{% endmacro %}

{% macro default__materialized_cte() %}{% endmacro %}

{% macro duckdb__materialized_cte() %}materialized{% endmacro %}

{% macro postgres__materialized_cte() %}materialized{% endmacro %}
