-- Every experiment of seeds/experiments.csv has arms in seeds/experiment_variants.csv whose shares
-- sum to 1 and exactly one of which is the control. One row per experiment that does not.
with

experiments as (
    select * from {{ ref('experiments') }}
),

variants as (
    select * from {{ ref('experiment_variants') }}
),

arms as (
    select
        experiments.experiment_id,
        coalesce(sum(variants.share), 0) as total_share,
        count(case when variants.is_control then 1 end) as control_arms,
        count(variants.variant) as arms
    from experiments
    left join variants on experiments.experiment_id = variants.experiment_id
    group by experiments.experiment_id
),

final as (
    select * from arms
    where abs(total_share - 1) > 1e-9 or control_arms != 1 or arms < 2
)

select * from final
