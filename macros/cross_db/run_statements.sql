{#-
    Runs `statements` (a list of SQL statements) in order: on DuckDB as one batch in dbt's open
    transaction, so a caller that commits after gets all of them or none; on Spark, which has no
    transactions and takes one statement at a time, one by one.
-#}
{% macro run_statements(name, statements) %}
    {{ return(adapter.dispatch('run_statements', 'audience')(name, statements)) }}
{% endmacro %}

{% macro default__run_statements(name, statements) %}
    {%- call statement(name) -%}
        {{ statements | join(';\n') }}
    {%- endcall -%}
{% endmacro %}

{% macro spark__run_statements(name, statements) %}
    {% for sql in statements %}
        {% do run_query(sql) %}
    {% endfor %}
{% endmacro %}
