{#-
    The statements that set the columns of `assignments` (column name to SQL expression) in the
    rows of `relation` where `condition` holds, as a list. On Spark's Parquet tables, which cannot
    update rows, the table is rewritten through a work table (see rows_deleted_statements).
-#}
{% macro rows_updated_statements(relation, assignments, condition) %}
    {{ return(adapter.dispatch('rows_updated_statements', 'audience')(relation, assignments, condition)) }}
{% endmacro %}

{% macro default__rows_updated_statements(relation, assignments, condition) %}
    {% set sets = [] %}
    {% for column, expression in assignments.items() %}
        {% do sets.append(column ~ ' = ' ~ expression) %}
    {% endfor %}
    {{ return(['update ' ~ relation ~ ' set ' ~ sets | join(', ') ~ ' where ' ~ condition]) }}
{% endmacro %}

{% macro spark__rows_updated_statements(relation, assignments, condition) %}
    {% set updated = relation.incorporate(path={'identifier': relation.identifier ~ '__dbt_updated_rows'}) %}
    {% set columns = [] %}
    {% for column in adapter.get_columns_in_relation(relation) %}
        {% if column.name in assignments %}
            {% do columns.append('case when coalesce((' ~ condition ~ '), false) then ' ~ assignments[column.name]
                ~ ' else ' ~ adapter.quote(column.name) ~ ' end as ' ~ adapter.quote(column.name)) %}
        {% else %}
            {% do columns.append(adapter.quote(column.name)) %}
        {% endif %}
    {% endfor %}
    {{ return([
        'drop table if exists ' ~ updated,
        'create table ' ~ updated ~ ' as select ' ~ columns | join(', ') ~ ' from ' ~ relation,
        'insert overwrite table ' ~ relation ~ ' select * from ' ~ updated,
        'drop table ' ~ updated,
    ]) }}
{% endmacro %}
