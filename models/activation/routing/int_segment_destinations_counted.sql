-- Why members of a segment are not sent to a destination: one row per exportable segment and
-- destination it lists, counting its current members, the holdout members, those without
-- consent for the destination's purpose, and those routed. The sync
-- reports these counts in its history (sync.sync_runs).
with

routes as (
    select * from {{ ref('int_segment_destinations_listed') }}
),

screened as (
    select * from {{ ref('int_segment_members_screened') }}
),

routed as (
    select * from {{ ref('int_segment_members_routed') }}
),

routed_counts as (
    select
        segment_name,
        destination,
        count(*) as routed_count
    from routed
    group by segment_name, destination
),

reason_counts as (
    select
        segment_name,
        destination,
        count(*) as member_count,
        count(case when is_holdout then 1 end) as holdout_count,
        count(case when not is_holdout and not is_consented then 1 end) as without_consent_count
    from screened
    group by segment_name, destination
),

final as (
    select
        routes.segment_name,
        routes.destination,
        coalesce(reason_counts.member_count, 0) as member_count,
        coalesce(reason_counts.holdout_count, 0) as holdout_count,
        coalesce(reason_counts.without_consent_count, 0) as without_consent_count,
        coalesce(routed_counts.routed_count, 0) as routed_count
    from routes
    left join reason_counts
        on routes.segment_name = reason_counts.segment_name and routes.destination = reason_counts.destination
    left join routed_counts
        on routes.segment_name = routed_counts.segment_name and routes.destination = routed_counts.destination
)

select * from final
