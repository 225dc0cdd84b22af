{{ config(meta={'erasure': {'identifiers': [['identifier_type', 'identifier_value']]}}) }}

-- How many distinct identifiers of each type every identifier is linked to, counting links in both directions.
with

links as (
    select * from {{ ref('int_identifier_links_unioned') }}
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
        linked_type as identifier_type,
        linked_value as identifier_value,
        identifier_type as linked_type,
        identifier_value as linked_value
    from links
),

final as (
    select
        identifier_type,
        identifier_value,
        linked_type,
        count(*) as linked_count
    from both_directions
    group by identifier_type, identifier_value, linked_type
)

select * from final
