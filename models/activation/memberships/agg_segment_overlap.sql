-- One row per pair of segments with at least one shared current member (segment_a sorts before
-- segment_b): how many people they share, and that as a share of each and of their union.
with

memberships as (
    select * from {{ ref('fct_segment_memberships') }}
),

sizes as (
    select
        segment_name,
        count(*) as members
    from memberships
    group by segment_name
),

shared as (
    select
        a.segment_name as segment_a,
        b.segment_name as segment_b,
        count(*) as shared_members
    from memberships as a
    inner join memberships as b
        on
            a.person_id = b.person_id
            and a.segment_name < b.segment_name
    group by a.segment_name, b.segment_name
),

final as (
    select
        shared.segment_a,
        shared.segment_b,
        shared.shared_members,
        size_a.members as members_a,
        size_b.members as members_b,
        1.0 * shared.shared_members / size_a.members as share_of_a,
        1.0 * shared.shared_members / size_b.members as share_of_b,
        1.0 * shared.shared_members / (size_a.members + size_b.members - shared.shared_members) as jaccard_index
    from shared
    inner join sizes as size_a on shared.segment_a = size_a.segment_name
    inner join sizes as size_b on shared.segment_b = size_b.segment_name
)

select * from final
