{#-
    Views on Spark, as dbt-spark creates them but without the column list that carries column
    descriptions: Spark takes about 20 s to create a view with column comments (seen with Spark 4
    and a Hive metastore), so a staging layer of views took minutes. Tables keep their column
    descriptions; a view's are in the dbt docs.
-#}
{% macro spark__create_view_as(relation, sql) -%}
    create or replace view {{ relation }}
    {{ comment_clause() }}
    {%- set contract_config = config.get('contract') -%}
    {%- if contract_config.enforced -%}
        {{ get_assert_columns_equivalent(sql) }}
    {%- endif %}
    as
    {{ sql }}
{% endmacro %}
