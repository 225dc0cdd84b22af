-- Where each exportable segment may sync: one row per exportable segment (dim_segments) and
-- destination its definition lists, with the consent purpose the destination needs.
with

segments as (
    select * from {{ ref('dim_segments') }}
    where is_exportable
),

destinations as (
    select * from {{ ref('destinations') }}
),

final as (
    select
        segments.segment_name,
        destinations.destination,
        destinations.consent_purpose
    from segments
    inner join destinations
        on ',' || segments.destinations || ',' like '%,' || destinations.destination || ',%'
)

select * from final
