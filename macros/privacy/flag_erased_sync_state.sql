{#-
    SQL flagging the sync state rows (schema sync, kept by `audience sync`) of the persons in
    `persons` as erased: the next sync of each audience removes them whatever its mode, then
    deletes their rows. Adds the column to state written before it existed.
-#}
{% macro flag_erased_sync_state(sync_state, persons) %}
    {{ return(adapter.dispatch('flag_erased_sync_state', 'audience')(sync_state, persons)) }}
{% endmacro %}

{% macro default__flag_erased_sync_state(sync_state, persons) -%}
    update {{ sync_state }} set is_erased = true where person_id in (select person_id from {{ persons }})
{%- endmacro %}

{% macro duckdb__flag_erased_sync_state(sync_state, persons) -%}
    alter table {{ sync_state }} add column if not exists is_erased boolean default false;
    {{ audience.default__flag_erased_sync_state(sync_state, persons) }}
{%- endmacro %}
