-- Per person and product category, up to the end of the as-of date: product views (Product Viewed
-- events) and units bought in completed orders, each ranked within the person (most first; ties
-- go to the category viewed or bought most recently, then alphabetically), with how many
-- categories the person viewed and bought. Categories are compared lowercased.
with

events as (
    select * from {{ ref('int_events_mapped_to_persons') }}
),

orders as (
    select * from {{ ref('int_completed_orders_filtered') }}
),

order_items as (
    select * from {{ ref('stg_crm__order_items') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

category_views as (
    select
        events.person_id,
        lower(events.product_category) as product_category,
        count(*) as product_views,
        max(events.event_at) as last_viewed_at
    from events
    inner join as_of on events.event_at < as_of.as_of_ends_at
    where
        events.event_name = 'Product Viewed'
        and events.person_id is not null
        and events.product_category is not null
    group by events.person_id, lower(events.product_category)
),

category_purchases as (
    select
        orders.person_id,
        lower(order_items.product_category) as product_category,
        cast(sum(order_items.quantity) as {{ dbt.type_bigint() }}) as units_purchased,
        max(orders.ordered_at) as last_purchased_at
    from orders
    inner join order_items on orders.order_id = order_items.order_id
    where order_items.product_category is not null
    group by orders.person_id, lower(order_items.product_category)
),

categories as (
    select
        coalesce(category_views.person_id, category_purchases.person_id) as person_id,
        coalesce(category_views.product_category, category_purchases.product_category) as product_category,
        coalesce(category_views.product_views, 0) as product_views,
        category_views.last_viewed_at,
        coalesce(category_purchases.units_purchased, 0) as units_purchased,
        category_purchases.last_purchased_at
    from category_views
    full outer join category_purchases
        on
            category_views.person_id = category_purchases.person_id
            and category_views.product_category = category_purchases.product_category
),

-- Categories not viewed (or not bought) sort last, so the others are ranked 1, 2, ... among themselves.
ranked_categories as (
    select
        *,
        row_number() over (
            partition by person_id
            order by product_views desc, last_viewed_at desc nulls last, product_category asc
        ) as view_order,
        row_number() over (
            partition by person_id
            order by units_purchased desc, last_purchased_at desc nulls last, product_category asc
        ) as purchase_order
    from categories
),

final as (
    select
        person_id,
        product_category,
        product_views,
        last_viewed_at,
        units_purchased,
        last_purchased_at,
        case when product_views > 0 then view_order end as view_rank,
        case when units_purchased > 0 then purchase_order end as purchase_rank,
        count(case when product_views > 0 then 1 end) over (partition by person_id) as categories_viewed,
        count(case when units_purchased > 0 then 1 end) over (partition by person_id) as categories_purchased,
        cast(sum(product_views) over (partition by person_id) as {{ dbt.type_bigint() }}) as person_product_views
    from ranked_categories
)

select * from final
