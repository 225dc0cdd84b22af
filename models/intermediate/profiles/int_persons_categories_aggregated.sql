-- Per person and product category, up to the end of the as-of date: product views (Product Viewed
-- events) and units bought in completed orders, each ranked within the person (most first; ties
-- go to the category viewed or bought most recently, then alphabetically), with how many
-- categories the person viewed and bought. Categories are compared lowercased. Incremental: a run
-- rebuilds the persons whose product views, purchases or as-of date changed (macro
-- persons_to_rebuild).
{{ config(**audience.persons_to_rebuild_config('product_category')) }}

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

product_views as (
    select
        events.person_id,
        events.product_category,
        events.event_at
    from events
    where events.event_name = 'Product Viewed' and events.product_category is not null
),

purchased_items as (
    select
        orders.person_id,
        order_items.product_category,
        order_items.quantity,
        orders.ordered_at
    from orders
    inner join order_items on orders.order_id = order_items.order_id
    where order_items.product_category is not null
),

{{ audience.persons_to_rebuild(['product_views', 'purchased_items'], 'as_of') }},

category_views as (
    select
        product_views_to_rebuild.person_id,
        lower(product_views_to_rebuild.product_category) as product_category,
        count(*) as product_views,
        max(product_views_to_rebuild.event_at) as last_viewed_at
    from product_views_to_rebuild
    inner join as_of on product_views_to_rebuild.event_at < as_of.as_of_ends_at
    group by product_views_to_rebuild.person_id, lower(product_views_to_rebuild.product_category)
),

category_purchases as (
    select
        purchased_items_to_rebuild.person_id,
        lower(purchased_items_to_rebuild.product_category) as product_category,
        cast(sum(purchased_items_to_rebuild.quantity) as {{ dbt.type_bigint() }}) as units_purchased,
        max(purchased_items_to_rebuild.ordered_at) as last_purchased_at
    from purchased_items_to_rebuild
    group by purchased_items_to_rebuild.person_id, lower(purchased_items_to_rebuild.product_category)
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

categories_counted as (
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
),

-- a rebuilt person without categories keeps one row without a category, which the post-hook deletes
final as (
    select
        persons_to_rebuild.person_id,
        categories_counted.product_category,
        categories_counted.product_views,
        categories_counted.last_viewed_at,
        categories_counted.units_purchased,
        categories_counted.last_purchased_at,
        categories_counted.view_rank,
        categories_counted.purchase_rank,
        categories_counted.categories_viewed,
        categories_counted.categories_purchased,
        categories_counted.person_product_views,
        persons_to_rebuild.input_fingerprint
    from persons_to_rebuild
    left join categories_counted on persons_to_rebuild.person_id = categories_counted.person_id
)

select * from final
