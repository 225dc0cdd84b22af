{#-
    For a model's hooks: deletes the rows of `relation` where `condition` holds
    (rows_deleted_statements) and returns no SQL.
-#}
{% macro delete_rows(relation, condition) %}
    {% if execute %}
        {% do audience.run_statements('delete_rows', audience.rows_deleted_statements(relation, condition)) %}
    {% endif %}
    {{ return('') }}
{% endmacro %}
