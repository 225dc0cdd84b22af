-- One row per change of a person's lifecycle stage: the stage left, the stage entered and when
-- (midnight UTC starting the first day in the new stage). A person's first stage is no transition.
with

periods as (
    select * from {{ ref('fct_lifecycle_stage_periods') }}
),

final as (
    select
        person_id,
        previous_stage as from_stage,
        lifecycle_stage as to_stage,
        valid_from_date as transition_date,
        cast(valid_from_date as {{ dbt.type_timestamp() }}) as transitioned_at
    from periods
    where previous_stage is not null
)

select * from final
