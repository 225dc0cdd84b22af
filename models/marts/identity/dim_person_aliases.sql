{#-
    A view: it only follows fct_identity_merges, so it stores nothing to purge or keep.
    Recursive: a person merged into one that was later merged again resolves to the last one.
-#}
{{ config(materialized='view') }}

with recursive

identity_merges as (
    select * from {{ ref('fct_identity_merges') }}
),

resolved as (
    select * from {{ ref('int_identifiers_resolved') }}
),

current_persons as (
    select distinct person_id from resolved
),

-- A merged id's last merge, to the survivor that took most of its identifiers.
ranked_moves as (
    select
        merged_person_id,
        surviving_person_id,
        row_number() over (
            partition by merged_person_id
            order by recorded_at desc, identifiers_moved desc, surviving_person_id asc
        ) as move_rank
    from identity_merges
    where change_type = 'merged'
),

last_moves as (
    select
        merged_person_id,
        surviving_person_id
    from ranked_moves
    where move_rank = 1
),

chains as (
    select
        merged_person_id,
        surviving_person_id as person_id,
        1 as hops
    from last_moves
    union all
    select
        chains.merged_person_id,
        last_moves.surviving_person_id as person_id,
        chains.hops + 1 as hops
    from chains
    inner join last_moves on chains.person_id = last_moves.merged_person_id
    -- a guard against a cycle (an id merged away, split out again and merged back)
    where chains.hops < 50
),

-- The first current person along the chain; an id in use again is no alias.
chain_ends as (
    select
        chains.merged_person_id,
        chains.person_id,
        chains.hops,
        row_number() over (partition by chains.merged_person_id order by chains.hops) as end_rank
    from chains
    inner join current_persons on chains.person_id = current_persons.person_id
    left join current_persons as merged_current on chains.merged_person_id = merged_current.person_id
    where merged_current.person_id is null
),

final as (
    select
        merged_person_id,
        person_id,
        hops as merges_followed
    from chain_ends
    where end_rank = 1
)

select * from final
