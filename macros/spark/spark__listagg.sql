{#-
    Overrides dbt-spark's listagg, which drops the order (with a warning): Spark 4 has listagg with
    `within group (order by ...)`, so the text is the same as on the other engines. With limit_num
    dbt-spark's own macro still applies.
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num or not order_by_clause -%}
        {{ return(dbt.spark__listagg(measure, delimiter_text, order_by_clause, limit_num)) }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }}) within group ({{ order_by_clause }})
{%- endmacro %}
