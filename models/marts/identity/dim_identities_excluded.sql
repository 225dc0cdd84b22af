{{ config(schema='pii') }}

-- Identifiers kept out of merging (blocked values, or more links than seeds/identity_link_limits.csv
-- allows): one row per identifier and linked type, for review.
with

identifiers as (
    select * from {{ ref('int_identifiers_unioned') }}
),

links_per_type as (
    select * from {{ ref('int_identifier_links_counted') }}
),

limits as (
    select * from {{ ref('identity_link_limits') }}
),

overlinked as (
    select
        identifier_type,
        identifier_value,
        identifier_key,
        linked_identifier_count,
        merge_exclusion_reason
    from identifiers
    where merge_exclusion_reason is not null
),

final as (
    select
        overlinked.identifier_key,
        overlinked.identifier_type,
        overlinked.identifier_value,
        overlinked.merge_exclusion_reason,
        links_per_type.linked_type,
        coalesce(links_per_type.linked_count, 0) as linked_count,
        limits.max_linked,
        overlinked.linked_identifier_count
    from overlinked
    left join links_per_type
        on overlinked.identifier_type = links_per_type.identifier_type
            and overlinked.identifier_value = links_per_type.identifier_value
    left join limits
        on overlinked.identifier_type = limits.identifier_type
            and links_per_type.linked_type = limits.linked_identifier_type
)

select * from final
