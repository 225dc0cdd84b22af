-- The orders profiles, scores and lifecycle stages count: completed CRM orders that belong to a
-- person, placed before the end of the as-of date.
with

orders as (
    select * from {{ ref('int_orders_mapped_to_persons') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

final as (
    select
        orders.order_id,
        orders.person_id,
        orders.ordered_at,
        cast(orders.ordered_at as date) as order_date,
        orders.order_total_reporting,
        orders.has_discount
    from orders
    inner join as_of on orders.ordered_at < as_of.as_of_ends_at
    where orders.is_completed and orders.person_id is not null
)

select * from final
