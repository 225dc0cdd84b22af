-- One row per person per uninterrupted period in one lifecycle stage, up to the as-of date: the
-- stage history, restated from the data on every build (int_lifecycle_stages_evaluated).
with

evaluated as (
    select * from {{ ref('int_lifecycle_stages_evaluated') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

with_previous as (
    select
        *,
        lag(lifecycle_stage) over (partition by person_id order by stage_date) as previous_stage
    from evaluated
),

changes as (
    select * from with_previous
    where previous_stage is null or previous_stage != lifecycle_stage
),

periods as (
    select
        person_id,
        lifecycle_stage,
        previous_stage,
        stage_date as valid_from_date,
        lead(stage_date) over (partition by person_id order by stage_date) as valid_to_date
    from changes
),

final as (
    select
        periods.person_id,
        periods.lifecycle_stage,
        periods.previous_stage,
        periods.valid_from_date,
        periods.valid_to_date,
        periods.valid_to_date is null as is_current,
        cast(
            {{ dbt.datediff(
                'periods.valid_from_date',
                'coalesce(periods.valid_to_date, ' ~ dbt.dateadd('day', 1, 'as_of.as_of_date') ~ ')',
                'day'
            ) }} as {{ dbt.type_int() }}
        ) as days_in_stage
    from periods
    cross join as_of
)

select * from final
