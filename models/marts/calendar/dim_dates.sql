-- One row per calendar day from 2020 through 2035: MetricFlow's time spine (metric_time) and a
-- date dimension for BI tools.
with

days as (
    {{ dbt.date_spine(
        datepart='day',
        start_date="cast('2020-01-01' as date)",
        end_date="cast('2036-01-01' as date)"
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
