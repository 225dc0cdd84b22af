-- Every placement of seeds/personalization_content.csv has exactly one default row (no
-- segment_name), what fct_personalized_placements serves to everybody without segment content.
with

content as (
    select * from {{ ref('personalization_content') }}
),

placements as (
    select
        placement,
        count(case when segment_name is null then 1 end) as default_rows
    from content
    group by placement
),

final as (
    select * from placements
    where default_rows != 1
)

select * from final
