{#-
    The erasure list. Persisted across every refresh (never rebuilt, even by --full-refresh): raw
    data is not rewritten, so this list is what keeps an erased person's raw rows out of staging.
    It holds salted hashes only, never the identifiers.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}

-- For each deletion request not handled yet, every identifier of the person its subject belongs to
-- (the subject's component of the identity graph, built this run before any of it is excluded), and
-- the subject itself even when it was never seen.
with

deletion_requests as (
    select * from {{ ref('stg_crm__deletion_requests') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_unioned') }}
),

clusters as (
    select * from {{ ref('int_identifiers_clustered') }}
),

new_requests as (
    select
        request_id,
        {{ audience.identifier_key('subject_type', 'subject_value') }} as subject_key,
        subject_type,
        requested_at
    from deletion_requests
    {% if is_incremental() %}
        where request_id not in (select handled.request_id from {{ this }} as handled)
    {% endif %}
),

identifiers_with_components as (
    select
        identifiers.identifier_key,
        identifiers.identifier_type,
        clusters.component_id
    from identifiers
    inner join clusters on identifiers.node_id = clusters.node_id
),

subject_components as (
    select
        new_requests.request_id,
        new_requests.requested_at,
        identifiers_with_components.component_id
    from new_requests
    inner join identifiers_with_components
        on new_requests.subject_key = identifiers_with_components.identifier_key
),

erased_identifiers as (
    select
        subject_components.request_id,
        subject_components.requested_at,
        identifiers_with_components.identifier_key,
        identifiers_with_components.identifier_type
    from subject_components
    inner join identifiers_with_components
        on subject_components.component_id = identifiers_with_components.component_id
    union all
    select
        request_id,
        requested_at,
        subject_key as identifier_key,
        subject_type as identifier_type
    from new_requests
),

deduplicated as (
    select
        request_id,
        identifier_key,
        identifier_type,
        min(requested_at) as requested_at
    from erased_identifiers
    group by request_id, identifier_key, identifier_type
),

final as (
    select
        request_id,
        {{ audience.pii_hash('identifier_key') }} as identifier_hash,
        identifier_type,
        requested_at,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as erased_at,
        '{{ invocation_id }}' as erased_invocation_id,
        cast(null as {{ dbt.type_timestamp() }}) as purged_at
    from deduplicated
)

select * from final
