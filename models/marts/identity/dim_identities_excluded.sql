{{ config(schema='pii') }}

-- Identifiers kept out of merging (blocked values, or more links than seeds/identity_link_limits.csv
-- allows): one row per identifier and linked type, for review.
with

identifiers as (
    select * from {{ ref('int_identifiers_unioned') }}
),

links as (
    select * from {{ ref('int_identifier_links_unioned') }}
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

both_directions as (
    select
        identifier_type,
        identifier_value,
        linked_type,
        linked_value
    from links
    union
    select
        linked_type,
        linked_value,
        identifier_type,
        identifier_value
    from links
),

final as (
    select
        overlinked.identifier_key,
        overlinked.identifier_type,
        overlinked.identifier_value,
        max(overlinked.merge_exclusion_reason) as merge_exclusion_reason,
        both_directions.linked_type,
        count(both_directions.linked_value) as linked_count,
        max(limits.max_linked) as max_linked,
        max(overlinked.linked_identifier_count) as linked_identifier_count
    from overlinked
    left join both_directions
        on overlinked.identifier_type = both_directions.identifier_type
            and overlinked.identifier_value = both_directions.identifier_value
    left join limits
        on overlinked.identifier_type = limits.identifier_type
            and both_directions.linked_type = limits.linked_identifier_type
    group by
        overlinked.identifier_key, overlinked.identifier_type, overlinked.identifier_value, both_directions.linked_type
)

select * from final
