{#-
    The config of a model built with persons_to_rebuild, for `config(**...)`: incremental with
    delete+insert on person_id, erased persons deleted by the purge, new columns appended, and a
    post-hook deleting the rows of rebuilt persons without a result (`result_column` null: a column
    every real row of the model fills).
-#}
{% macro persons_to_rebuild_config(result_column) %}
    {{ return({
        'meta': {'erasure': {'persons': ['person_id']}},
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'person_id',
        'on_schema_change': 'append_new_columns',
        'post_hook': "{{ audience.delete_rows(this, '" ~ result_column ~ " is null') }}",
    }) }}
{% endmacro %}
