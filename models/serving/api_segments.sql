with

segments as (
    select * from {{ ref('dim_segments') }}
),

final as (
    select
        segment_name,
        label
    from segments
)

select * from final
