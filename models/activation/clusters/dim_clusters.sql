-- One row per cluster of int_persons_clustered: its name, size, share, the members' mean
-- features in original units (the centroid a marketer reads) and the fit's diagnostics.
{%- set number = dbt.type_numeric() %}

with

clustered_persons as (
    select * from {{ ref('int_persons_clustered') }}
),

users as (
    select * from {{ ref('dim_persons') }}
),

members as (
    select
        clustered_persons.*,
        users.orders,
        users.revenue,
        users.average_order_value,
        users.days_since_last_order,
        users.discount_order_share,
        users.engagement_score,
        users.sessions_last_90_days,
        users.product_views,
        users.add_to_carts,
        users.email_opens,
        users.email_click_rate,
        users.video_views,
        users.video_completion_share
    from clustered_persons
    inner join users on clustered_persons.person_id = users.person_id
),

cluster_totals as (
    select
        cluster_id,
        min(cluster_name) as cluster_name,
        count(*) as members,
        avg(case when orders > 0 then 1.0 else 0.0 end) as customer_share,
        avg(days_since_last_order) as avg_days_since_last_order,
        avg(orders) as avg_orders,
        avg(revenue) as avg_revenue,
        cast(sum(revenue) as {{ number }}) as revenue,
        avg(average_order_value) as avg_average_order_value,
        avg(discount_order_share) as avg_discount_order_share,
        avg(engagement_score) as avg_engagement_score,
        avg(sessions_last_90_days) as avg_sessions_last_90_days,
        avg(product_views) as avg_product_views,
        avg(add_to_carts) as avg_add_to_carts,
        avg(case when email_opens > 0 then 1.0 else 0.0 end) as email_open_share,
        avg(email_click_rate) as avg_email_click_rate,
        avg(case when video_views > 0 then 1.0 else 0.0 end) as video_view_share,
        avg(video_completion_share) as avg_video_completion_share,
        avg(distance_to_centroid) as avg_distance_to_centroid,
        avg(pca_x) as avg_pca_x,
        avg(pca_y) as avg_pca_y,
        min(as_of_date) as as_of_date,
        min(k_silhouette) as k_silhouette,
        min(silhouette_by_k) as silhouette_by_k,
        min(cluster_algorithm) as cluster_algorithm,
        min(cluster_model_status) as cluster_model_status
    from members
    group by cluster_id
),

final as (
    select
        cluster_id,
        cluster_name,
        members,
        cast(members as {{ number }}) / sum(members) over () as member_share,
        count(*) over () as k,
        k_silhouette,
        silhouette_by_k,
        cluster_algorithm,
        cluster_model_status,
        customer_share,
        avg_days_since_last_order,
        avg_orders,
        avg_revenue,
        revenue,
        avg_average_order_value,
        avg_discount_order_share,
        avg_engagement_score,
        avg_sessions_last_90_days,
        avg_product_views,
        avg_add_to_carts,
        email_open_share,
        avg_email_click_rate,
        video_view_share,
        avg_video_completion_share,
        avg_distance_to_centroid,
        avg_pca_x,
        avg_pca_y,
        as_of_date
    from cluster_totals
)

select * from final
