-- Carts: one per session and person with at least one add-to-cart (Product Added) up to the end of
-- the as-of date. A cart is ordered when the same person has an Order Completed event from the
-- cart's first add-to-cart until 24 hours after its last one; it is abandoned when it is not
-- ordered and those 24 hours have passed by the end of the as-of date; otherwise it is pending.
{%- set window_hours = 24 %}

with

events as (
    select * from {{ ref('int_events_mapped_to_persons') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

events_until_as_of as (
    select events.*
    from events
    inner join as_of on events.event_at < as_of.as_of_ends_at
    where events.person_id is not null
),

carts as (
    select
        session_id,
        person_id,
        min(event_at) as first_added_at,
        max(event_at) as last_added_at,
        count(*) as add_to_carts
    from events_until_as_of
    where event_name = 'Product Added' and session_id is not null
    group by session_id, person_id
),

web_orders as (
    select
        person_id,
        event_at as ordered_at
    from events_until_as_of
    where event_name = 'Order Completed'
),

carts_with_windows as (
    select
        *,
        cast({{ dbt.dateadd('hour', window_hours, 'last_added_at') }} as {{ dbt.type_timestamp() }})
            as abandonment_window_ends_at
    from carts
),

carts_with_orders as (
    select
        carts_with_windows.session_id,
        carts_with_windows.person_id,
        carts_with_windows.first_added_at,
        carts_with_windows.last_added_at,
        carts_with_windows.add_to_carts,
        carts_with_windows.abandonment_window_ends_at,
        min(web_orders.ordered_at) as first_ordered_at
    from carts_with_windows
    left join web_orders
        on
            carts_with_windows.person_id = web_orders.person_id
            and carts_with_windows.first_added_at <= web_orders.ordered_at
            and carts_with_windows.abandonment_window_ends_at >= web_orders.ordered_at
    group by
        carts_with_windows.session_id,
        carts_with_windows.person_id,
        carts_with_windows.first_added_at,
        carts_with_windows.last_added_at,
        carts_with_windows.add_to_carts,
        carts_with_windows.abandonment_window_ends_at
),

final as (
    select
        {{ dbt.hash("carts_with_orders.session_id || '|' || carts_with_orders.person_id") }} as cart_id,
        carts_with_orders.session_id,
        carts_with_orders.person_id,
        carts_with_orders.first_added_at,
        carts_with_orders.last_added_at,
        carts_with_orders.add_to_carts,
        carts_with_orders.abandonment_window_ends_at,
        carts_with_orders.first_ordered_at,
        carts_with_orders.first_ordered_at is not null as is_ordered,
        carts_with_orders.first_ordered_at is null
        and carts_with_orders.abandonment_window_ends_at <= as_of.as_of_ends_at as is_abandoned,
        carts_with_orders.first_ordered_at is null
        and carts_with_orders.abandonment_window_ends_at > as_of.as_of_ends_at as is_pending
    from carts_with_orders
    cross join as_of
)

select * from final
