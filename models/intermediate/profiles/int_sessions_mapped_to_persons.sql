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

sessions_with_persons as (
    {{ audience.person_of_identifier('sessions', ['user_id', 'anonymous_id']) }}
),

final as (
    select
        sessions_with_persons.session_id,
        sessions_with_persons.person_id,
        sessions_with_persons.person_matched_on,
        sessions_with_persons.started_at,
        sessions_with_persons.ended_at,
        sessions_with_persons.duration_seconds,
        sessions_with_persons.page_views,
        sessions_with_persons.events,
        sessions_with_persons.channel,
        sessions_with_persons.utm_source,
        sessions_with_persons.utm_medium,
        sessions_with_persons.utm_campaign,
        sessions_with_persons.device_type,
        sessions_with_persons.os_name,
        sessions_with_persons.country_code,
        sessions_with_persons.region,
        sessions_with_persons.city,
        sessions_with_persons.is_bounce,
        sessions_with_persons.has_conversion,
        sessions_with_persons.product_views,
        sessions_with_persons.add_to_carts,
        sessions_with_persons.checkouts_started,
        sessions_with_persons.orders,
        sessions_with_persons.revenue
    from sessions_with_persons
    -- no person: an erased person's session, purged from the event models at the end of the run
    where
        sessions_with_persons.person_id is not null
        and {{ audience.has_analytics_consent('sessions_with_persons.person_id') }}
)

select * from final
