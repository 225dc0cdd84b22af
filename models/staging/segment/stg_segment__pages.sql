with

base as (
    select * from {{ ref('base_segment__pages') }}
),

final as (
    select
        message_id,
        anonymous_id,
        user_id,
        page_name,
        page_url,
        page_path,
        page_title,
        page_referrer,
        page_query_string,
        viewed_at,
        sent_at,
        received_at,
        is_late_arriving,
        ip_address,
        user_agent,
        is_bot,
        locale_code,
        library_name,
        device_type,
        os_name,
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
