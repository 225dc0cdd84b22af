-- Per person with funnel steps (product views, adds to cart, checkouts started) in the intent
-- window (var intent_window_days ending on the as-of date) after their last completed order: the
-- steps, how quickly they followed each other, the seeds/intent_signals.csv points of the signals
-- that hold, halved every var intent_half_life_days since the latest step, as a 0-100 score.
-- An order placed after a step ends its intent: only steps after the last order count.
{%- set int = dbt.type_int() %}

with

events as (
    select * from {{ ref('int_events_mapped_to_persons') }}
),

orders as (
    select * from {{ ref('int_completed_orders_filtered') }}
),

signal_points as (
    select * from {{ ref('intent_signals') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

last_orders as (
    select
        person_id,
        max(ordered_at) as last_ordered_at
    from orders
    group by person_id
),

funnel_steps as (
    select
        events.person_id,
        events.session_id,
        events.event_name,
        events.product_id,
        events.event_at,
        as_of.as_of_date
    from events
    inner join as_of
        on
            events.event_at < as_of.as_of_ends_at
            and events.event_at >= {{ dbt.dateadd('day', -1 * var('intent_window_days'), 'as_of.as_of_ends_at') }}
    left join last_orders on events.person_id = last_orders.person_id
    where
        events.event_name in ('Product Viewed', 'Product Added', 'Checkout Started')
        and (last_orders.last_ordered_at is null or events.event_at > last_orders.last_ordered_at)
),

product_views_per_product as (
    select
        person_id,
        product_id,
        count(*) as view_count
    from funnel_steps
    where event_name = 'Product Viewed'
    group by person_id, product_id
),

-- Per session and product, from its first view to its first add to cart.
view_to_cart as (
    select
        person_id,
        session_id,
        product_id,
        min(case when event_name = 'Product Viewed' then event_at end) as first_viewed_at,
        min(case when event_name = 'Product Added' then event_at end) as first_added_at
    from funnel_steps
    where event_name in ('Product Viewed', 'Product Added')
    group by person_id, session_id, product_id
),

-- Per session, from its first add to cart to its first checkout.
cart_to_checkout as (
    select
        person_id,
        session_id,
        min(case when event_name = 'Product Added' then event_at end) as first_added_at,
        min(case when event_name = 'Checkout Started' then event_at end) as first_checkout_at
    from funnel_steps
    group by person_id, session_id
),

step_counts as (
    select
        person_id,
        as_of_date,
        count(case when event_name = 'Product Viewed' then 1 end) as product_views,
        count(case when event_name = 'Product Added' then 1 end) as add_to_carts,
        count(case when event_name = 'Checkout Started' then 1 end) as checkouts_started,
        max(event_at) as last_step_at
    from funnel_steps
    group by person_id, as_of_date
),

view_to_cart_times as (
    select
        person_id,
        min({{ dbt.datediff('first_viewed_at', 'first_added_at', 'second') }}) / 60.0 as minutes_from_view_to_cart
    from view_to_cart
    where first_added_at >= first_viewed_at
    group by person_id
),

cart_to_checkout_times as (
    select
        person_id,
        min({{ dbt.datediff('first_added_at', 'first_checkout_at', 'second') }}) / 60.0
            as minutes_from_cart_to_checkout
    from cart_to_checkout
    where first_checkout_at >= first_added_at
    group by person_id
),

repeat_views as (
    select
        person_id,
        max(view_count) as most_views_of_one_product
    from product_views_per_product
    group by person_id
),

signals_held as (
    select
        step_counts.*,
        coalesce(repeat_views.most_views_of_one_product, 0) as most_views_of_one_product,
        view_to_cart_times.minutes_from_view_to_cart,
        cart_to_checkout_times.minutes_from_cart_to_checkout,
        step_counts.product_views > 0 as has_viewed_product,
        coalesce(repeat_views.most_views_of_one_product, 0) >= {{ var('intent_repeat_view_count') }}
            as has_viewed_product_repeatedly,
        step_counts.add_to_carts > 0 as has_added_to_cart,
        coalesce(view_to_cart_times.minutes_from_view_to_cart <= {{ var('intent_quick_add_minutes') }}, false)
            as has_added_to_cart_quickly,
        step_counts.checkouts_started > 0 as has_started_checkout,
        {{ dbt.datediff('cast(step_counts.last_step_at as date)', 'step_counts.as_of_date', 'day') }}
            as days_since_last_step
    from step_counts
    left join repeat_views on step_counts.person_id = repeat_views.person_id
    left join view_to_cart_times on step_counts.person_id = view_to_cart_times.person_id
    left join cart_to_checkout_times on step_counts.person_id = cart_to_checkout_times.person_id
),

points as (
    select
        signals_held.person_id,
        sum(
            case
                when signal_points.signal_name = 'viewed_product' and signals_held.has_viewed_product
                    then signal_points.points
                when
                    signal_points.signal_name = 'viewed_product_repeatedly'
                    and signals_held.has_viewed_product_repeatedly
                    then signal_points.points
                when signal_points.signal_name = 'added_to_cart' and signals_held.has_added_to_cart
                    then signal_points.points
                when signal_points.signal_name = 'added_to_cart_quickly' and signals_held.has_added_to_cart_quickly
                    then signal_points.points
                when signal_points.signal_name = 'started_checkout' and signals_held.has_started_checkout
                    then signal_points.points
                else 0
            end
        ) as intent_points
    from signals_held
    cross join signal_points
    group by signals_held.person_id
),

intent_scored as (
    select
        signals_held.person_id,
        cast(signals_held.product_views as {{ int }}) as product_views,
        cast(signals_held.most_views_of_one_product as {{ int }}) as most_views_of_one_product,
        cast(signals_held.add_to_carts as {{ int }}) as add_to_carts,
        cast(signals_held.checkouts_started as {{ int }}) as checkouts_started,
        cast(signals_held.minutes_from_view_to_cart as {{ dbt.type_numeric() }}) as minutes_from_view_to_cart,
        cast(signals_held.minutes_from_cart_to_checkout as {{ dbt.type_numeric() }}) as minutes_from_cart_to_checkout,
        signals_held.last_step_at,
        cast(signals_held.days_since_last_step as {{ int }}) as days_since_last_step,
        signals_held.has_viewed_product_repeatedly,
        signals_held.has_added_to_cart_quickly,
        signals_held.has_started_checkout as has_abandoned_checkout,
        cast(points.intent_points as {{ int }}) as intent_points,
        cast(
            least(100, round(
                points.intent_points
                * power(0.5, 1.0 * signals_held.days_since_last_step / {{ var('intent_half_life_days') }})
            )) as {{ int }}
        ) as purchase_intent_score
    from signals_held
    inner join points on signals_held.person_id = points.person_id
),

final as (
    select
        *,
        purchase_intent_score >= {{ var('intent_high_score') }} as is_high_purchase_intent
    from intent_scored
)

select * from final
