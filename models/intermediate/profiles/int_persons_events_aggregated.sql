-- Per person, what they did on the site and with marketing emails up to the end of the as-of date:
-- page views (in all and in the last 7, 30 and 90 days), product views (and how many were of
-- eco-friendly products), carts, checkouts, videos, scrolling, searches, email opens and clicks,
-- and when they were last active. Incremental: a run rebuilds the persons whose events (or their
-- products' eco-friendly flag) or as-of date changed (macro persons_to_rebuild).
{%- set number = dbt.type_numeric() %}
{{ config(**audience.persons_to_rebuild_config('page_views')) }}

with

events as (
    select
        person_id,
        event_type,
        event_name,
        event_at,
        product_id,
        percent_watched,
        scroll_depth,
        campaign_id
    from {{ ref('int_events_mapped_to_persons') }}
),

products as (
    select * from {{ ref('stg_crm__products') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

events_with_products as (
    select
        events.*,
        coalesce(products.is_eco_friendly, false) as is_eco_friendly_product
    from events
    left join products on events.product_id = products.product_id
),

{{ audience.persons_to_rebuild(['events_with_products'], 'as_of') }},

events_until_as_of as (
    select
        events_with_products_to_rebuild.*,
        as_of.last_7_days_start_at,
        as_of.last_30_days_start_at,
        as_of.last_90_days_start_at
    from events_with_products_to_rebuild
    inner join as_of on events_with_products_to_rebuild.event_at < as_of.as_of_ends_at
),

event_counts as (
    select
        person_id,
        count(case when event_type = 'page' then 1 end) as page_views,
        count(
            case when event_type = 'page' and event_at >= last_7_days_start_at then 1 end
        ) as page_views_last_7_days,
        count(
            case when event_type = 'page' and event_at >= last_30_days_start_at then 1 end
        ) as page_views_last_30_days,
        count(
            case when event_type = 'page' and event_at >= last_90_days_start_at then 1 end
        ) as page_views_last_90_days,
        count(case when event_name = 'Product Viewed' then 1 end) as product_views,
        count(
            case when event_name = 'Product Viewed' and is_eco_friendly_product then 1 end
        ) as eco_product_views,
        count(case when event_name = 'Product Added' then 1 end) as add_to_carts,
        count(case when event_name = 'Checkout Started' then 1 end) as checkouts_started,
        count(case when event_name = 'Video Playback Started' then 1 end) as video_views,
        count(
            case when event_name = 'Video Content Playing' and percent_watched > 75 then 1 end
        ) as videos_watched_past_75_percent,
        avg(case when event_name = 'Page Scrolled' then scroll_depth end) as avg_scroll_depth,
        count(case when event_name = 'Products Searched' then 1 end) as searches,
        count(case when event_name = 'Email Opened' then 1 end) as email_opens,
        count(case when event_name = 'Email Link Clicked' then 1 end) as email_clicks,
        count(
            distinct case when event_name in ('Email Opened', 'Email Link Clicked') then campaign_id end
        ) as email_campaigns_seen,
        min(event_at) as first_activity_at,
        max(event_at) as last_activity_at
    from events_until_as_of
    group by person_id
),

final as (
    select
        persons_to_rebuild.person_id,
        event_counts.page_views,
        event_counts.page_views_last_7_days,
        event_counts.page_views_last_30_days,
        event_counts.page_views_last_90_days,
        event_counts.product_views,
        event_counts.eco_product_views,
        cast(
            1.0 * event_counts.eco_product_views / nullif(event_counts.product_views, 0) as {{ number }}
        ) as eco_view_share,
        event_counts.add_to_carts,
        event_counts.checkouts_started,
        event_counts.video_views,
        event_counts.videos_watched_past_75_percent,
        cast(
            1.0 * event_counts.videos_watched_past_75_percent / nullif(event_counts.video_views, 0) as {{ number }}
        ) as video_completion_share,
        cast(event_counts.avg_scroll_depth as {{ number }}) as avg_scroll_depth,
        event_counts.searches,
        event_counts.email_opens,
        event_counts.email_clicks,
        event_counts.email_campaigns_seen,
        cast(
            1.0 * event_counts.email_opens / nullif(event_counts.email_campaigns_seen, 0) as {{ number }}
        ) as email_open_rate,
        cast(1.0 * event_counts.email_clicks / nullif(event_counts.email_opens, 0) as {{ number }}) as email_click_rate,
        event_counts.first_activity_at,
        event_counts.last_activity_at,
        {{ dbt.datediff('event_counts.last_activity_at', 'as_of.as_of_date', 'day') }}
            as days_since_last_activity,
        persons_to_rebuild.input_fingerprint
    from persons_to_rebuild
    cross join as_of
    left join event_counts on persons_to_rebuild.person_id = event_counts.person_id
)

select * from final
