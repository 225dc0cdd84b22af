-- depends_on: {{ ref('bot_user_agents') }}
with

base as (
    select * from {{ ref('base_segment__identifies') }}
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
        clean_rows.email,
        clean_rows.phone,
        clean_rows.first_name,
        clean_rows.last_name,
        clean_rows.identified_at,
        clean_rows.sent_at,
        clean_rows.received_at,
        clean_rows.ip_address,
        clean_rows.user_agent,
        coalesce(user_agents_classified.is_bot, false) as is_bot,
        clean_rows.library_name,
        clean_rows.device_type
    from clean_rows
    left join user_agents_classified on clean_rows.user_agent = user_agents_classified.user_agent
)

select * from final
