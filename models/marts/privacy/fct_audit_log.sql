{#-
    A view, so it shows every sync and purge up to the moment it is read, not up to the last build.
    The sync history (schema sync, written by `audience sync`) and the deletion log (written by the
    purge hooks) are state tables dbt does not build: read when they exist.
-#}
{{ config(materialized='view') }}

{%- set string = dbt.type_string() -%}
{%- set timestamp = dbt.type_timestamp() -%}
{%- set bigint = dbt.type_bigint() -%}
{%- set deletion_log = audience.deletion_log()[0] -%}

with

sync_runs as (
    select * from {{ audience.relation_or_empty(
        api.Relation.create(database=target.get('database'), schema='sync', identifier='sync_runs'),
        {'run_id': string, 'segment_name': string, 'destination': string, 'mode': string,
         'is_dry_run': 'boolean', 'started_at': timestamp, 'finished_at': timestamp, 'status': string,
         'added': bigint, 'removed': bigint, 'changed': bigint, 'rejected': bigint, 'erased': bigint,
         'triggered_by': string},
    ) }}
),

deletion_log as (
    select * from {{ audience.relation_or_empty(
        deletion_log,
        {'deleted_at': timestamp, 'invocation_id': string, 'reason': string, 'relation_name': string,
         'rows_deleted': bigint},
    ) }}
),

erasures as (
    select * from {{ ref('int_identifiers_erased') }}
),

exports as (
    select
        'sync:' || run_id as audit_event_id,
        'export' as event_type,
        coalesce(triggered_by, 'unknown') as actor,
        segment_name || ' -> ' || destination as subject,
        coalesce(finished_at, started_at) as occurred_at,
        cast(coalesce(added, 0) + coalesce(removed, 0) + coalesce(changed, 0) as {{ bigint }}) as row_count,
        status,
        'mode ' || mode
        || case when is_dry_run then ', dry run' else '' end
        || ', added ' || cast(coalesce(added, 0) as {{ string }})
        || ', removed ' || cast(coalesce(removed, 0) as {{ string }})
        || ', changed ' || cast(coalesce(changed, 0) as {{ string }})
        || ', removed as erased ' || cast(coalesce(erased, 0) as {{ string }})
        || ', rejected ' || cast(coalesce(rejected, 0) as {{ string }}) as details
    from sync_runs
),

deletion_requests as (
    select
        'erasure:' || request_id as audit_event_id,
        'deletion_request' as event_type,
        'data subject' as actor,
        request_id as subject,
        min(erased_at) as occurred_at,
        cast(count(*) as {{ bigint }}) as row_count,
        case when count(purged_at) = count(*) then 'purged' else 'pending_purge' end as status,
        'requested ' || cast(min(requested_at) as {{ string }})
        || '; identifiers erased (hashes kept): ' || cast(count(*) as {{ string }})
        || '; purged ' || coalesce(cast(max(purged_at) as {{ string }}), 'not yet') as details
    from erasures
    group by request_id
),

deletions as (
    select
        reason || ':' || invocation_id || ':' || relation_name as audit_event_id,
        case reason when 'erasure' then 'erasure_purge' else 'retention_purge' end as event_type,
        'dbt invocation ' || invocation_id as actor,
        relation_name as subject,
        min(deleted_at) as occurred_at,
        cast(sum(rows_deleted) as {{ bigint }}) as row_count,
        'done' as status,
        reason || ': rows deleted from ' || relation_name as details
    from deletion_log
    group by reason, invocation_id, relation_name
),

final as (
    select * from exports
    union all
    select * from deletion_requests
    union all
    select * from deletions
)

select * from final
