-- Per person, their completed CRM orders up to the end of the as-of date: how many, revenue and
-- average order value in var reporting_currency, first and last order dates, how often they used a
-- discount, and the share of units bought that are eco-friendly products.
{%- set number = dbt.type_numeric() %}

with

completed_orders as (
    select * from {{ ref('int_completed_orders_filtered') }}
),

order_items as (
    select * from {{ ref('stg_crm__order_items') }}
),

products as (
    select * from {{ ref('stg_crm__products') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

order_totals as (
    select
        person_id,
        count(*) as orders,
        sum(order_total_reporting) as revenue,
        count(case when has_discount then 1 end) as discounted_orders,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at
    from completed_orders
    group by person_id
),

-- Units of products the catalogue does not know count as not eco-friendly.
unit_totals as (
    select
        completed_orders.person_id,
        cast(sum(order_items.quantity) as {{ dbt.type_bigint() }}) as units_purchased,
        cast(
            sum(case when products.is_eco_friendly then order_items.quantity else 0 end) as {{ dbt.type_bigint() }}
        ) as eco_units_purchased
    from completed_orders
    inner join order_items on completed_orders.order_id = order_items.order_id
    left join products on order_items.product_id = products.product_id
    group by completed_orders.person_id
),

person_totals as (
    select
        order_totals.*,
        coalesce(unit_totals.units_purchased, 0) as units_purchased,
        coalesce(unit_totals.eco_units_purchased, 0) as eco_units_purchased,
        as_of.as_of_date
    from order_totals
    left join unit_totals on order_totals.person_id = unit_totals.person_id
    cross join as_of
),

final as (
    select
        person_id,
        orders,
        cast(revenue as {{ number }}) as revenue,
        cast(revenue / orders as {{ number }}) as average_order_value,
        cast(first_ordered_at as date) as first_order_date,
        cast(last_ordered_at as date) as last_order_date,
        {{ dbt.datediff('last_ordered_at', 'as_of_date', 'day') }}
            as days_since_last_order,
        discounted_orders,
        cast(1.0 * discounted_orders / orders as {{ number }}) as discount_order_share,
        units_purchased,
        eco_units_purchased,
        cast(1.0 * eco_units_purchased / nullif(units_purchased, 0) as {{ number }}) as eco_product_share
    from person_totals
)

select * from final
