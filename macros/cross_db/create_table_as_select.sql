{#- `create or replace table <relation> as <sql>`, for macros that stage work tables with run_query. -#}
{% macro create_table_as_select(relation, sql) %}
    {{ return(adapter.dispatch('create_table_as_select', 'audience')(relation, sql)) }}
{% endmacro %}

{% macro default__create_table_as_select(relation, sql) -%}
    create or replace table {{ relation }} as {{ sql }}
{%- endmacro %}

{% macro bigquery__create_table_as_select(relation, sql) -%}
    create or replace table {{ relation }} as ({{ sql }})
{%- endmacro %}

{#- Spark: Parquet tables cannot be replaced, so the table is dropped as the SQL is made. -#}
{% macro spark__create_table_as_select(relation, sql) -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    create table {{ relation }} as {{ sql }}
{%- endmacro %}
