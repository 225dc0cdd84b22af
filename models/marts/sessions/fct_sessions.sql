-- One row per session, with the person it belongs to: what BI tools read for traffic and funnels.
with

sessions as (
    select * from {{ ref('int_sessions_mapped_to_persons') }}
),

session_pages as (
    select
        session_id,
        landing_page_path,
        exit_page_path,
        referrer_host
    from {{ ref('int_sessions_aggregated') }}
),

final as (
    select
        sessions.session_id,
        sessions.person_id,
        sessions.person_matched_on,
        sessions.started_at,
        sessions.ended_at,
        sessions.duration_seconds,
        sessions.page_views,
        sessions.events,
        session_pages.landing_page_path,
        session_pages.exit_page_path,
        session_pages.referrer_host,
        sessions.channel,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        sessions.device_type,
        sessions.os_name,
        sessions.country_code,
        sessions.region,
        sessions.city,
        sessions.is_bounce,
        sessions.has_conversion,
        sessions.product_views,
        sessions.add_to_carts,
        sessions.checkouts_started,
        sessions.orders,
        sessions.revenue
    from sessions
    inner join session_pages on sessions.session_id = session_pages.session_id
)

select * from final
