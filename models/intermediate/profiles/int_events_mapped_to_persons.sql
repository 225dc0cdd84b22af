-- Every event with the person it belongs to: the site events of int_events_sessionized (page
-- views and track events, with their session) and the email events (opens and clicks, which
-- belong to no session), with the track properties profiles read. An event maps to the person of
-- its user_id when it has one, otherwise to the person of its device (anonymous_id).
with

site_events as (
    select * from {{ ref('int_events_sessionized') }}
),

-- Inlined: read twice, each for a few columns (stored, it would hold every wide track row).
tracks as {{ audience.materialized_cte(false) }} (
    select * from {{ ref('stg_segment__tracks') }}
),

tracking_plan as (
    select * from {{ ref('tracking_plan') }}
),

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

email_event_names as (
    select tracking_plan.event_name
    from tracking_plan
    where tracking_plan.event_category = 'email'
),

site_events_with_properties as (
    select
        site_events.message_id,
        site_events.session_id,
        site_events.event_type,
        site_events.event_name,
        site_events.event_at,
        site_events.anonymous_id,
        site_events.user_id,
        site_events.product_id,
        site_events.product_category,
        site_events.price,
        site_events.cart_value,
        site_events.device_type,
        site_events.page_path,
        tracks.video_id,
        tracks.percent_watched,
        tracks.scroll_depth,
        tracks.campaign_id
    from site_events
    left join tracks on site_events.message_id = tracks.message_id
),

email_events as (
    select
        tracks.message_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        'track' as event_type,
        tracks.event_name,
        tracks.event_at,
        tracks.anonymous_id,
        tracks.user_id,
        tracks.product_id,
        tracks.product_category,
        cast(null as {{ dbt.type_numeric() }}) as price,
        cast(null as {{ dbt.type_numeric() }}) as cart_value,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as page_path,
        tracks.video_id,
        tracks.percent_watched,
        tracks.scroll_depth,
        tracks.campaign_id
    from tracks
    -- bots (link scanners of mail servers) are left out, as int_events_unioned leaves out site bots
    where
        tracks.event_name in (select email_event_names.event_name from email_event_names)
        and not tracks.is_bot
),

events as (
    select * from site_events_with_properties
    union all
    select * from email_events
),

events_with_persons as (
    {{ audience.person_of_identifier('events', ['user_id', 'anonymous_id']) }}
),

final as (
    select
        events_with_persons.message_id,
        events_with_persons.session_id,
        events_with_persons.person_id,
        events_with_persons.person_matched_on,
        events_with_persons.event_type,
        events_with_persons.event_name,
        events_with_persons.event_at,
        events_with_persons.product_id,
        events_with_persons.product_category,
        events_with_persons.price,
        events_with_persons.cart_value,
        events_with_persons.device_type,
        events_with_persons.page_path,
        events_with_persons.video_id,
        events_with_persons.percent_watched,
        events_with_persons.scroll_depth,
        events_with_persons.campaign_id
    from events_with_persons
    -- no person: an erased person's event, purged from int_events_sessionized at the end of the run
    where
        events_with_persons.person_id is not null
        and {{ audience.has_analytics_consent('events_with_persons.person_id') }}
)

select * from final
