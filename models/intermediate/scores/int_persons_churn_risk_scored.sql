-- Per customer (at least one completed order up to the end of the as-of date): days since the
-- last order over the days the customer usually leaves between orders, banded low / medium /
-- high at vars churn_medium_ratio and churn_high_ratio. The usual gap is the customer's own
-- average gap between order days, or for one-time buyers the store's median of those averages;
-- never less than var churn_min_cadence_days.
{%- set number = dbt.type_numeric() %}
{%- set int = dbt.type_int() %}

with

orders as (
    select * from {{ ref('int_completed_orders_filtered') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

order_days as (
    select distinct
        person_id,
        order_date
    from orders
),

customers as (
    select
        order_days.person_id,
        count(*) as order_days,
        min(order_days.order_date) as first_order_date,
        max(order_days.order_date) as last_order_date,
        as_of.as_of_date
    from order_days
    cross join as_of
    group by order_days.person_id, as_of.as_of_date
),

customer_cadences as (
    select
        *,
        case
            when order_days > 1
                then
                    1.0 * {{ dbt.datediff('first_order_date', 'last_order_date', 'day') }}
                    / (order_days - 1)
        end as purchase_cadence_days,
        {{ dbt.datediff('last_order_date', 'as_of_date', 'day') }}
            as days_since_last_order
    from customers
),

store_cadence as (
    select {{ audience.median('purchase_cadence_days') }} as median_cadence_days
    from customer_cadences
    where purchase_cadence_days is not null
),

cadences_used as (
    select
        customer_cadences.*,
        case when customer_cadences.purchase_cadence_days is not null then 'own' else 'store_median' end
            as cadence_basis,
        coalesce(customer_cadences.purchase_cadence_days, store_cadence.median_cadence_days) as cadence_days
    from customer_cadences
    cross join store_cadence
),

expected_gaps as (
    select
        *,
        case
            when cadence_days is not null then greatest(cadence_days, {{ var('churn_min_cadence_days') }})
        end as expected_days_between_orders
    from cadences_used
),

ratios as (
    select
        *,
        days_since_last_order / expected_days_between_orders as churn_risk_ratio
    from expected_gaps
),

final as (
    select
        person_id,
        cast(order_days as {{ int }}) as order_days,
        cast(purchase_cadence_days as {{ number }}) as purchase_cadence_days,
        cadence_basis,
        cast(expected_days_between_orders as {{ number }}) as expected_days_between_orders,
        cast(days_since_last_order as {{ int }}) as days_since_last_order,
        cast(churn_risk_ratio as {{ number }}) as churn_risk_ratio,
        case
            when churn_risk_ratio >= {{ var('churn_high_ratio') }} then 'high'
            when churn_risk_ratio >= {{ var('churn_medium_ratio') }} then 'medium'
            when churn_risk_ratio is not null then 'low'
        end as churn_risk_band
    from ratios
)

select * from final
