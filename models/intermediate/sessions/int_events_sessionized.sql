{#-
    Incremental with delete+insert on message_id. A run takes the events received since the newest
    received_at already sessionized minus var event_lookback_hours and, for each owner they belong
    to, re-sessionizes every event of that owner from the start of the session that contains the
    owner's earliest new event, or that it follows within the timeout (else from that event): the
    event just before that point is more than the timeout earlier, so no session before it can
    change, while sessions a late event joins, bridges or starts earlier are rebuilt whole. Those
    events' rows are replaced (delete+insert: a row's session_id may change, so rows are rewritten,
    not appended). session_id hashes the owner and the session's first message id, so full and
    incremental builds give the same ids.
-#}
{{ config(
    meta={
        'erasure': {'identifiers': [["'anonymous_id'", 'anonymous_id'], ["'user_id'", 'user_id']]},
        'retention': {'column': 'received_at', 'days_var': 'event_retention_days'},
    },
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='message_id',
    on_schema_change='fail',
) }}

{%- set timeout_minutes = var('session_timeout_minutes') -%}
{%- set owner = 'session_owner_type, session_owner_id' -%}
{%- set event_order = 'event_at, message_id' -%}

with

-- Inlined: an incremental run reads it twice, for the new events and for those re-sessionized.
events as {{ audience.materialized_cte(false) }} (
    select
        *,
        case when anonymous_id is not null then 'anonymous_id' else 'user_id' end as session_owner_type,
        coalesce(anonymous_id, user_id) as session_owner_id
    from {{ ref('int_events_unioned') }}
),

{% if is_incremental() %}
    loaded_events as (
        select * from {{ this }}
    ),

    new_events_since as (
        select
            {{ audience.lookback_start('loaded_events.received_at') }} as received_since
        from loaded_events
    ),

    new_events_by_owner as (
        select
            events.session_owner_type,
            events.session_owner_id,
            min(events.event_at) as earliest_new_event_at
        from events
        cross join new_events_since
        -- null when nothing is loaded yet: every event is new
        where coalesce(events.received_at >= new_events_since.received_since, true)
        group by events.session_owner_type, events.session_owner_id
    ),

    loaded_sessions as (
        select
            loaded_events.session_owner_type,
            loaded_events.session_owner_id,
            loaded_events.session_id,
            min(loaded_events.event_at) as session_started_at,
            max(loaded_events.event_at) as session_ended_at
        from loaded_events
        inner join new_events_by_owner
            on
                loaded_events.session_owner_type = new_events_by_owner.session_owner_type
                and loaded_events.session_owner_id = new_events_by_owner.session_owner_id
        where loaded_events.session_started_at <= new_events_by_owner.earliest_new_event_at
        group by loaded_events.session_owner_type, loaded_events.session_owner_id, loaded_events.session_id
    ),

    -- At most one loaded session starts before the earliest new event and reaches it within the timeout.
    reprocess_from as (
        select
            new_events_by_owner.session_owner_type,
            new_events_by_owner.session_owner_id,
            coalesce(
                min(loaded_sessions.session_started_at), new_events_by_owner.earliest_new_event_at
            ) as reprocess_from_at
        from new_events_by_owner
        left join loaded_sessions
            on
                new_events_by_owner.session_owner_type = loaded_sessions.session_owner_type
                and new_events_by_owner.session_owner_id = loaded_sessions.session_owner_id
                and {{ dbt.dateadd('minute', timeout_minutes, 'loaded_sessions.session_ended_at') }}
                >= new_events_by_owner.earliest_new_event_at
        group by
            new_events_by_owner.session_owner_type,
            new_events_by_owner.session_owner_id,
            new_events_by_owner.earliest_new_event_at
    ),

{% endif %}
-- Stored for an incremental run's few owners; a full build reads the events twice instead of
-- storing every wide row (tens of GB at 50M events).
events_to_sessionize as {{ audience.materialized_cte(is_incremental()) }} (
    {% if is_incremental() %}
        select events.*
        from events
        inner join reprocess_from
            on
                events.session_owner_type = reprocess_from.session_owner_type
                and events.session_owner_id = reprocess_from.session_owner_id
        where events.event_at >= reprocess_from.reprocess_from_at
    {% else %}
        select * from events
    {% endif %}
),

-- The windows sort only the columns sessions are cut by; the event rows are joined back after.
event_times as (
    select
        message_id,
        session_owner_type,
        session_owner_id,
        event_at
    from events_to_sessionize
),

-- Both window passes share one partitioning and order. A session is cut where the gap to the
-- owner's previous event exceeds the timeout; its first event is then the owner's latest start.
with_previous_event as (
    select
        *,
        lag(event_at) over (partition by {{ owner }} order by {{ event_order }}) as previous_event_at,
        row_number() over (partition by {{ owner }} order by {{ event_order }}) as owner_event_number
    from event_times
),

session_starts as (
    select
        *,
        previous_event_at is null
        or event_at > {{ dbt.dateadd('minute', timeout_minutes, 'previous_event_at') }} as is_session_start
    from with_previous_event
),

sessionized as (
    select
        message_id,
        session_owner_type,
        session_owner_id,
        {{ audience.last_value_ignoring_nulls("case when is_session_start then message_id end") }} over (
            partition by {{ owner }} order by {{ event_order }} rows between unbounded preceding and current row
        ) as first_message_id,
        max(case when is_session_start then event_at end) over (
            partition by {{ owner }} order by {{ event_order }} rows between unbounded preceding and current row
        ) as session_started_at,
        owner_event_number - max(case when is_session_start then owner_event_number end) over (
            partition by {{ owner }} order by {{ event_order }} rows between unbounded preceding and current row
        ) + 1 as event_number_in_session
    from session_starts
),

-- Only what the event rows lack is carried to the join, the smaller side of it.
session_positions as (
    select
        message_id,
        {{ dbt.hash(
            "session_owner_type || '|' || session_owner_id || '|' || first_message_id"
        ) }} as session_id,
        session_started_at,
        event_number_in_session
    from sessionized
),

final as (
    select
        events_to_sessionize.message_id,
        session_positions.session_id,
        events_to_sessionize.session_owner_type,
        events_to_sessionize.session_owner_id,
        session_positions.session_started_at,
        session_positions.event_number_in_session,
        events_to_sessionize.event_type,
        events_to_sessionize.event_name,
        events_to_sessionize.event_at,
        events_to_sessionize.received_at,
        events_to_sessionize.is_late_arriving,
        events_to_sessionize.anonymous_id,
        events_to_sessionize.user_id,
        events_to_sessionize.device_type,
        events_to_sessionize.os_name,
        events_to_sessionize.locale_code,
        events_to_sessionize.library_name,
        events_to_sessionize.country_code,
        events_to_sessionize.region,
        events_to_sessionize.city,
        events_to_sessionize.page_url,
        events_to_sessionize.page_path,
        events_to_sessionize.page_title,
        events_to_sessionize.page_referrer,
        events_to_sessionize.utm_source,
        events_to_sessionize.utm_medium,
        events_to_sessionize.utm_campaign,
        events_to_sessionize.utm_content,
        events_to_sessionize.utm_term,
        events_to_sessionize.product_id,
        events_to_sessionize.product_category,
        events_to_sessionize.price,
        events_to_sessionize.quantity,
        events_to_sessionize.cart_value,
        events_to_sessionize.order_id,
        events_to_sessionize.revenue,
        events_to_sessionize.currency_code
    from events_to_sessionize
    inner join session_positions on events_to_sessionize.message_id = session_positions.message_id
)

select * from final
