{#-
    The statements that delete the rows of `relation` where `condition` holds, as a list. Spark's
    Parquet tables cannot delete rows: the rows kept are copied to a work table and written back,
    since Spark cannot overwrite a table that the same query reads.
-#}
{% macro rows_deleted_statements(relation, condition) %}
    {{ return(adapter.dispatch('rows_deleted_statements', 'audience')(relation, condition)) }}
{% endmacro %}

{% macro default__rows_deleted_statements(relation, condition) %}
    {{ return(['delete from ' ~ relation ~ ' where ' ~ condition]) }}
{% endmacro %}

{% macro spark__rows_deleted_statements(relation, condition) %}
    {% set kept = relation.incorporate(path={'identifier': relation.identifier ~ '__dbt_kept_rows'}) %}
    {{ return([
        'drop table if exists ' ~ kept,
        'create table ' ~ kept ~ ' as select * from ' ~ relation ~ ' where not coalesce((' ~ condition ~ '), false)',
        'insert overwrite table ' ~ relation ~ ' select * from ' ~ kept,
        'drop table ' ~ kept,
    ]) }}
{% endmacro %}
