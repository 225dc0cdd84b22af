-- One row per month, stage at the start of the month and stage at its end: how many persons moved
-- from one to the other (or stayed), for the months of fct_lifecycle_stages_daily whose previous
-- month end it holds. The start stage is the stage on the previous month's last day (null for
-- persons first seen during the month); the end stage is the stage on the month's last day, or
-- on the as-of date for its month.
with

daily as (
    select * from {{ ref('fct_lifecycle_stages_daily') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

month_ends as (
    select
        daily.person_id,
        daily.lifecycle_stage,
        cast({{ dbt.date_trunc('month', 'daily.stage_date') }} as date) as month_start_date
    from daily
    cross join as_of
    where
        daily.stage_date = cast({{ dbt.last_day('daily.stage_date', 'month') }} as date)
        or daily.stage_date = as_of.as_of_date
),

months as (
    select distinct month_start_date
    from month_ends
),

covered_months as (
    select months.month_start_date
    from months
    inner join months as previous_months
        on previous_months.month_start_date = cast({{ dbt.dateadd('month', -1, 'months.month_start_date') }} as date)
),

moves as (
    select
        covered_months.month_start_date,
        month_starts.lifecycle_stage as from_stage,
        month_ends.lifecycle_stage as to_stage,
        month_ends.person_id
    from covered_months
    inner join month_ends on covered_months.month_start_date = month_ends.month_start_date
    left join month_ends as month_starts
        on
            month_ends.person_id = month_starts.person_id
            and month_starts.month_start_date
            = cast({{ dbt.dateadd('month', -1, 'covered_months.month_start_date') }} as date)
),

counted as (
    select
        month_start_date,
        from_stage,
        to_stage,
        count(*) as persons
    from moves
    group by month_start_date, from_stage, to_stage
),

final as (
    select
        month_start_date,
        from_stage,
        to_stage,
        cast(persons as {{ dbt.type_bigint() }}) as persons,
        cast(
            1.0 * persons / sum(persons) over (partition by month_start_date, from_stage)
            as {{ dbt.type_numeric() }}
        ) as share_of_from_stage
    from counted
)

select * from final
