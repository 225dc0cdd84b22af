{#-
    on-run-start and on-run-end hook (dbt_project.yml): carries out the erasures of the list
    (int_identifiers_erased) whose purge is not done. The persons of their identifiers (as the
    persisted int_identifiers_resolved last knew them) are deleted from every table whose model or
    snapshot declares `meta: {erasure: {persons: [<person id column>, ...]}}`; rows holding one of
    the identifiers from every table declaring `meta: {erasure: {identifiers: [[<type SQL>,
    <value column>], ...]}}`. Sync state rows of those persons are flagged `is_erased`, so the next
    sync removes them from every destination whatever its mode and then forgets them; their sync
    rejections are deleted. Each purge appends one row per table to the deletion log (macro
    deletion_log: what was done, when, how many rows; no identifier), then stamps purged_at on the
    list. Runs and
    commits its statements itself (nothing when no erasure is pending); returns no SQL.
-#}
{% macro purge_erasures() %}
    {%- set erasures = audience.erasure_list() -%}
    {%- if not execute or erasures is string -%}
        {{ return('') }}
    {%- endif -%}
    {%- call statement('erasures_pending', fetch_result=True) -%}
        select count(distinct request_id), count(distinct identifier_hash) from {{ erasures }} where purged_at is null
    {%- endcall -%}
    {%- set pending = load_result('erasures_pending').table.rows[0] -%}
    {%- if pending[1] == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set hashes = 'select pending.identifier_hash from ' ~ erasures ~ ' as pending where pending.purged_at is null' -%}
    {%- set persons = erasures.incorporate(path={'identifier': 'erasure_pending_persons'}) -%}
    {%- set purge_log, log_ddl = audience.deletion_log() -%}
    {%- set resolved_node = graph.nodes.get('model.audience.int_identifiers_resolved') -%}
    {%- set resolved = adapter.get_relation(resolved_node.database, resolved_node.schema, resolved_node.alias) -%}
    {%- set string = dbt.type_string() -%}

    {%- set statements = [] -%}
    {%- set select_persons -%}
        {% if resolved is not none -%}
        select distinct resolved.person_id
        from {{ resolved }} as resolved
        where {{ audience.is_erased([['resolved.identifier_type', 'resolved.identifier_value']], hashes=hashes) }}
        {%- else -%}
        select cast(null as {{ string }}) as person_id where 1 = 0
        {%- endif %}
    {%- endset -%}
    {%- call statement('erasures_persons', fetch_result=True) -%}
        select count(*) from ({{ select_persons }}) as persons
    {%- endcall -%}
    {%- set person_count = load_result('erasures_persons').table.rows[0][0] -%}
    {%- do statements.append('drop table if exists ' ~ persons) -%}
    {%- do statements.append('create table ' ~ persons ~ ' as ' ~ select_persons) -%}
    {%- do statements.extend(log_ddl) -%}

    {%- set targets = [] -%}
    {%- for kind in ['persons', 'identifiers'] -%}
        {%- for node in graph.nodes.values() if node.resource_type in ['model', 'snapshot']
                and node.config.materialized != 'view' and kind in node.config.meta.get('erasure', {}) -%}
            {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
            {%- if relation is not none -%}
                {%- if kind == 'persons' -%}
                    {%- set conditions = [] -%}
                    {%- for column in node.config.meta.erasure.persons -%}
                        {%- do conditions.append(column ~ ' in (select person_id from ' ~ persons ~ ')') -%}
                    {%- endfor -%}
                    {%- set condition = conditions | join(' or ') -%}
                {%- else -%}
                    {%- set condition = audience.is_erased(node.config.meta.erasure.identifiers, hashes=hashes) -%}
                {%- endif -%}
                {%- do targets.append((relation, condition)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set sync_state = adapter.get_relation(target.get('database'), 'sync', 'sync_state') -%}
    {%- set sync_rejections = adapter.get_relation(target.get('database'), 'sync', 'sync_rejections') -%}
    {%- if sync_rejections is not none -%}
        {%- do targets.append((sync_rejections, 'person_id in (select person_id from ' ~ persons ~ ')')) -%}
    {%- endif -%}

    {%- for relation, condition in targets -%}
        {%- do statements.append(
            'insert into ' ~ purge_log ~ " select current_timestamp, '" ~ invocation_id ~ "', 'erasure', "
            ~ pending[0] ~ ', ' ~ pending[1] ~ ', ' ~ person_count ~ ", '"
            ~ relation.schema ~ '.' ~ relation.identifier ~ "', count(*) from " ~ relation ~ ' where ' ~ condition
        ) -%}
        {%- do statements.extend(audience.rows_deleted_statements(relation, condition)) -%}
    {%- endfor -%}
    {%- if sync_state is not none -%}
        {%- do statements.append(audience.flag_erased_sync_state(sync_state, persons)) -%}
    {%- endif -%}
    {%- do statements.extend(audience.rows_updated_statements(erasures, {'purged_at': 'current_timestamp'}, 'purged_at is null')) -%}
    {%- do statements.append('drop table ' ~ persons) -%}
    {{ log('Erasure purge: ' ~ pending[0] ~ ' request(s), ' ~ pending[1] ~ ' identifier hash(es), '
        ~ person_count ~ ' person(s), ' ~ targets | length ~ ' table(s)', info=true) }}
    {#- in dbt's transaction, committed here: a purge is done whole or not at all (then the next
        run repeats it), and dbt's rollback after on-run-start hooks does not undo it -#}
    {%- do audience.run_statements('erasures_purge', statements) -%}
    {%- do adapter.commit() -%}
    {{ return('') }}
{% endmacro %}
