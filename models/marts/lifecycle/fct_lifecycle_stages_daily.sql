-- One row per person per day of the var lifecycle_daily_history_days days ending on the as-of
-- date, from the day the person was first seen: their lifecycle stage that day.
{%- set history_days = var('lifecycle_daily_history_days') %}

with

periods as (
    select * from {{ ref('fct_lifecycle_stage_periods') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

days as (
    select cast({{ dbt.dateadd('day', '1 - numbers.generated_number', 'as_of.as_of_date') }} as date) as stage_date
    from ({{ dbt.generate_series(history_days) }}) as numbers
    cross join as_of
),

final as (
    select
        periods.person_id,
        days.stage_date,
        periods.lifecycle_stage,
        periods.valid_from_date as stage_since_date
    from days
    inner join periods
        on
            days.stage_date >= periods.valid_from_date
            and (periods.valid_to_date is null or days.stage_date < periods.valid_to_date)
)

select * from final
