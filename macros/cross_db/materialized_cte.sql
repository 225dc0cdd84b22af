{#-
    The hint that a CTE is (or, with materialized=false, is not) computed once and stored, on
    engines that take one. DuckDB materializes a CTE referenced twice by default, which for a CTE
    over every wide event row means spilling them all to disk.
-#}
{% macro materialized_cte(materialized=true) %}
    {{ return(adapter.dispatch('materialized_cte', 'audience')(materialized)) }}
{% endmacro %}

{% macro default__materialized_cte(materialized) %}{% endmacro %}

{% macro duckdb__materialized_cte(materialized) %}{{ '' if materialized else 'not ' }}materialized{% endmacro %}

{% macro postgres__materialized_cte(materialized) %}{{ '' if materialized else 'not ' }}materialized{% endmacro %}
