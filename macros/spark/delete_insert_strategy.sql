{#-
    delete+insert on Spark, for the models that replace the rows of the keys a run rebuilds: the
    run's rows go to a work table, the stored rows of their keys are deleted as
    rows_deleted_statements deletes (a rewrite, which every file format allows), and the run's
    rows are appended; the work table is dropped after.
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
    {% set run_rows = target.incorporate(path={'identifier': target.identifier ~ '__dbt_run_rows'}) %}
    {% set matches = [] %}
    {% for key in keys %}
        {% do matches.append("run_rows." ~ key ~ " <=> " ~ target.identifier ~ "." ~ key) %}
    {% endfor %}
    {% set replaced = 'exists (select 1 from ' ~ run_rows ~ ' as run_rows where ' ~ matches | join(' and ') ~ ')' %}
    {% set columns = adapter.get_columns_in_relation(target) | map(attribute='name') | map('string') | list %}
    {% do audience.run_statements('delete_insert',
        ['drop table if exists ' ~ run_rows, 'create table ' ~ run_rows ~ ' as select * from ' ~ source]
        + audience.rows_deleted_statements(target, replaced)
        + ['insert into ' ~ target ~ ' select `' ~ columns | join('`, `') ~ '` from ' ~ run_rows]
    ) %}
    drop table {{ run_rows }}
{% endmacro %}
