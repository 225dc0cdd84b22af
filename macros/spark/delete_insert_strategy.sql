{#-
    delete+insert on Spark, for the models that replace the rows of the keys a run rebuilds. The
    table is rewritten, which every file format allows (plain Parquet tables cannot delete rows):
    the run's rows and the stored rows of other keys are written to work tables first, since Spark
    cannot overwrite a table that the same query reads; the work tables are dropped after.
    dbt-spark offers no delete+insert; these two overrides of its macros add it and leave every
    other strategy to dbt-spark.
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {% if raw_strategy == 'delete+insert' %}
        {{ return(raw_strategy) }}
    {% endif %}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{% endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {% if strategy != 'delete+insert' %}
        {{ return(dbt.dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates)) }}
    {% endif %}
    {% set keys = [unique_key] if unique_key is string else unique_key %}
    {% set matches = [] %}
    {% for key in keys %}
        {% do matches.append("run_rows." ~ key ~ " <=> stored." ~ key) %}
    {% endfor %}
    {% set run_rows = target.incorporate(path={'identifier': target.identifier ~ '__dbt_run_rows'}) %}
    {% set kept_rows = target.incorporate(path={'identifier': target.identifier ~ '__dbt_kept_rows'}) %}
    {% set columns = adapter.get_columns_in_relation(target) | map(attribute='name') | map('string') | list %}
    {% set column_list = '`' ~ columns | join('`, `') ~ '`' %}
    {% do run_query('drop table if exists ' ~ run_rows) %}
    {% do run_query('drop table if exists ' ~ kept_rows) %}
    {% do run_query('create table ' ~ run_rows ~ ' as select * from ' ~ source) %}
    {% do run_query('create table ' ~ kept_rows ~ ' as select * from ' ~ target ~ ' as stored where not exists ('
        ~ 'select 1 from ' ~ run_rows ~ ' as run_rows where ' ~ matches | join(' and ') ~ ')') %}
    {% do run_query('insert overwrite table ' ~ target ~ ' select ' ~ column_list ~ ' from ' ~ kept_rows
        ~ ' union all select ' ~ column_list ~ ' from ' ~ run_rows) %}
    {% do run_query('drop table ' ~ kept_rows) %}
    drop table {{ run_rows }}
{% endmacro %}
