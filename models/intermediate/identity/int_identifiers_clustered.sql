{{ config(
    post_hook="drop table if exists {{ this.incorporate(path={'identifier': this.identifier ~ '__cc_labels'}) }}"
) }}

-- Persons as connected components of the identifier graph, computed in the warehouse.
with

components as (
    {{ audience.connected_components(ref('int_identifier_links_filtered'), var('identity_max_rounds')) }}
),

final as (
    select
        node_id,
        component_id
    from components
)

select * from final
