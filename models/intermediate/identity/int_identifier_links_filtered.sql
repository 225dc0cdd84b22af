-- The graph identity stitching walks: links between identifiers by node id, in both directions,
-- without identifiers excluded from merging, plus a self-loop for every identifier so none is lost.
with

identifiers as (
    select * from {{ ref('int_identifiers_unioned') }}
),

links as (
    select * from {{ ref('int_identifier_links_unioned') }}
),

usable_links as (
    select
        identifiers.node_id,
        linked_identifiers.node_id as linked_node_id
    from links
    inner join identifiers
        on links.identifier_type = identifiers.identifier_type
            and links.identifier_value = identifiers.identifier_value
    inner join identifiers as linked_identifiers
        on links.linked_type = linked_identifiers.identifier_type
            and links.linked_value = linked_identifiers.identifier_value
    where identifiers.merge_exclusion_reason is null and linked_identifiers.merge_exclusion_reason is null
),

final as (
    select
        node_id,
        linked_node_id
    from usable_links
    union
    select
        linked_node_id as node_id,
        node_id as linked_node_id
    from usable_links
    union
    select
        node_id,
        node_id as linked_node_id
    from identifiers
)

select * from final
