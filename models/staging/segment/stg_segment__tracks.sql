with

base as (
    select * from {{ ref('base_segment__tracks') }}
),

final as (
    select
        message_id,
        anonymous_id,
        user_id,
        event_name,
        event_name_sent,
        event_at,
        sent_at,
        received_at,
        is_late_arriving,
        properties,
        product_id,
        product_category,
        price,
        cart_value,
        revenue,
        quantity,
        order_id,
        currency_code,
        percent_watched,
        scroll_depth,
        search_query,
        campaign_id,
        video_id,
        rating,
        ip_address,
        user_agent,
        is_bot,
        locale_code,
        library_name,
        device_type,
        os_name,
        page_url,
        page_path,
        page_title,
        page_referrer,
        country_code,
        region,
        city,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term
    from base
    where row_disposition = 'clean'
)

select * from final
