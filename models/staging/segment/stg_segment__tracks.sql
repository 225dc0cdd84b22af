-- depends_on: {{ ref('bot_user_agents') }}
with

base as (
    select * from {{ ref('base_segment__tracks') }}
),

clean_rows as (
    select * from base
    where row_disposition = 'clean'
),

{{ audience.user_agents_classified('clean_rows') }},

final as (
    select
        clean_rows.message_id,
        clean_rows.anonymous_id,
        clean_rows.user_id,
        clean_rows.event_name,
        clean_rows.event_name_sent,
        clean_rows.event_at,
        clean_rows.sent_at,
        clean_rows.received_at,
        clean_rows.is_late_arriving,
        clean_rows.properties,
        clean_rows.product_id,
        clean_rows.product_category,
        clean_rows.price,
        clean_rows.cart_value,
        clean_rows.revenue,
        clean_rows.quantity,
        clean_rows.order_id,
        clean_rows.currency_code,
        clean_rows.percent_watched,
        clean_rows.scroll_depth,
        clean_rows.search_query,
        clean_rows.campaign_id,
        clean_rows.video_id,
        clean_rows.rating,
        clean_rows.ip_address,
        clean_rows.user_agent,
        coalesce(user_agents_classified.is_bot, false) as is_bot,
        clean_rows.locale_code,
        clean_rows.library_name,
        clean_rows.device_type,
        clean_rows.os_name,
        clean_rows.page_url,
        clean_rows.page_path,
        clean_rows.page_title,
        clean_rows.page_referrer,
        clean_rows.country_code,
        clean_rows.region,
        clean_rows.city,
        clean_rows.utm_source,
        clean_rows.utm_medium,
        clean_rows.utm_campaign,
        clean_rows.utm_content,
        clean_rows.utm_term
    from clean_rows
    left join user_agents_classified on clean_rows.user_agent = user_agents_classified.user_agent
)

select * from final
