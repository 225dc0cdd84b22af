-- Sessions with the person they belong to: the person of the session's user_id when it has one
-- (shared devices are kept out of merging, so their device person must not take logged-in
-- visits), otherwise the person of the device (anonymous_id) that owns the session.
with

sessions as (
    select * from {{ ref('int_sessions_aggregated') }}
),

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

final as (
    select
        sessions.session_id,
        coalesce(user_identities.person_id, device_identities.person_id) as person_id,
        case
            when user_identities.person_id is not null then 'user_id'
            when device_identities.person_id is not null then 'anonymous_id'
        end as person_matched_on,
        sessions.started_at,
        sessions.ended_at,
        sessions.duration_seconds,
        sessions.page_views,
        sessions.events,
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
    left join identities as user_identities
        on user_identities.identifier_key = {{ audience.identifier_key("'user_id'", 'sessions.user_id') }}
    left join identities as device_identities
        on device_identities.identifier_key = {{ audience.identifier_key("'anonymous_id'", 'sessions.anonymous_id') }}
    -- no person: an erased person's session, purged from the event models at the end of the run
    where
        coalesce(user_identities.person_id, device_identities.person_id) is not null
        and {{ audience.has_analytics_consent('coalesce(user_identities.person_id, device_identities.person_id)') }}
)

select * from final
