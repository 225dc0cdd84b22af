-- One row per monthly acquisition cohort (customers whose first completed order fell in that
-- month) per month since acquisition, up to the month of the as-of date: how many of the cohort
-- ordered that month (retention) and what they spent, per customer and cumulatively.
{%- set number = dbt.type_numeric() %}
{%- set int = dbt.type_int() %}

with

orders as (
    select * from {{ ref('int_completed_orders_filtered') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

completed_orders as (
    select
        person_id,
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as order_month,
        order_total_reporting
    from orders
),

customer_cohorts as (
    select
        person_id,
        min(order_month) as cohort_month
    from completed_orders
    group by person_id
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_customers
    from customer_cohorts
    group by cohort_month
),

-- Up to 50 years of months since acquisition.
month_offsets as (
    select cast(generated_number - 1 as {{ int }}) as months_since_acquisition
    from ({{ dbt.generate_series(601) }}) as numbers
),

cohort_months as (
    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_customers,
        month_offsets.months_since_acquisition,
        cast({{ dbt.dateadd('month', 'month_offsets.months_since_acquisition', 'cohort_sizes.cohort_month') }} as date)
            as activity_month
    from cohort_sizes
    cross join month_offsets
    cross join as_of
    where
        {{ dbt.dateadd('month', 'month_offsets.months_since_acquisition', 'cohort_sizes.cohort_month') }}
        <= {{ dbt.date_trunc('month', 'as_of.as_of_date') }}
),

activity as (
    select
        customer_cohorts.cohort_month,
        completed_orders.order_month as activity_month,
        count(distinct completed_orders.person_id) as active_customers,
        count(*) as orders,
        sum(completed_orders.order_total_reporting) as revenue
    from completed_orders
    inner join customer_cohorts on completed_orders.person_id = customer_cohorts.person_id
    group by customer_cohorts.cohort_month, completed_orders.order_month
),

final as (
    select
        cohort_months.cohort_month,
        cohort_months.months_since_acquisition,
        cohort_months.activity_month,
        cast(cohort_months.cohort_customers as {{ int }}) as cohort_customers,
        cast(coalesce(activity.active_customers, 0) as {{ int }}) as active_customers,
        cast(1.0 * coalesce(activity.active_customers, 0) / cohort_months.cohort_customers as {{ number }})
            as retention_rate,
        cast(coalesce(activity.orders, 0) as {{ int }}) as orders,
        cast(coalesce(activity.revenue, 0) as {{ number }}) as revenue,
        cast(coalesce(activity.revenue, 0) / cohort_months.cohort_customers as {{ number }})
            as revenue_per_customer,
        cast(
            sum(coalesce(activity.revenue, 0)) over (
                partition by cohort_months.cohort_month
                order by cohort_months.months_since_acquisition
                rows unbounded preceding
            ) / cohort_months.cohort_customers as {{ number }}
        ) as cumulative_revenue_per_customer
    from cohort_months
    left join activity
        on
            cohort_months.cohort_month = activity.cohort_month
            and cohort_months.activity_month = activity.activity_month
)

select * from final
