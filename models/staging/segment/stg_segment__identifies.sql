with

base as (
    select * from {{ ref('base_segment__identifies') }}
),

final as (
    select
        message_id,
        anonymous_id,
        user_id,
        email,
        phone,
        first_name,
        last_name,
        identified_at,
        sent_at,
        received_at,
        ip_address,
        user_agent,
        is_bot,
        library_name,
        device_type
    from base
    where row_disposition = 'clean'
)

select * from final
