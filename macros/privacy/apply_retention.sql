{#-
    on-run-start hook (dbt_project.yml): deletes, from every table whose model or snapshot declares
    `meta: {retention: {column: <timestamp or date column>, days_var: <var name>}}`, the rows whose
    column is before the window that var sets (macro retention_cutoff; a var left null keeps
    everything). Raw events are kept out at load by the base models (macro is_excluded_raw_row);
    this removes what earlier runs loaded, and history older than the window (aggregates such as
    agg_segment_sizes are kept). Each table appends one row to the deletion log (reason
    `retention`). Runs and commits its statements itself (nothing when no window is set);
    returns no SQL.
-#}
{% macro apply_retention() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set deletion_log, log_ddl = audience.deletion_log() -%}
    {%- set statements = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type in ['model', 'snapshot']
            and node.config.materialized != 'view' and 'retention' in node.config.meta -%}
        {%- set rule = node.config.meta.retention -%}
        {%- set cutoff = audience.retention_cutoff(var(rule.days_var)) -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if cutoff is not none and relation is not none -%}
            {%- set condition = rule.column ~ ' < ' ~ cutoff -%}
            {%- do statements.append(
                'insert into ' ~ deletion_log ~ " select current_timestamp, '" ~ invocation_id
                ~ "', 'retention', null, null, null, '" ~ relation.schema ~ '.' ~ relation.identifier
                ~ "', count(*) from " ~ relation ~ ' where ' ~ condition
            ) -%}
            {%- do statements.extend(audience.rows_deleted_statements(relation, condition)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not statements -%}
        {{ return('') }}
    {%- endif -%}
    {%- do audience.run_statements('retention_purge', log_ddl + statements) -%}
    {#- committed here: dbt rolls back what on-run-start hooks leave open -#}
    {%- do adapter.commit() -%}
    {{ return('') }}
{% endmacro %}
