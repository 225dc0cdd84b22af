{{ config(schema='pii') }}

-- One row per identifier and the person it belongs to.
with

resolved as (
    select * from {{ ref('int_identifiers_resolved') }}
),

final as (
    select
        identifier_key,
        identifier_type,
        identifier_value,
        person_id,
        first_seen_at,
        last_seen_at,
        linked_identifier_count,
        merge_exclusion_reason,
        merge_exclusion_reason is not null as is_excluded_from_merging
    from resolved
)

select * from final
