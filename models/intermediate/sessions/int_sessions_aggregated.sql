{#-
    Incremental with delete+insert on the session's owner. A run rebuilds every session of the
    owners int_events_sessionized may have changed: those with events received since the newest
    received_at already here minus var event_lookback_hours (the window int_events_sessionized
    re-sessionizes from), and those with events of a session missing here (sessions the
    retention hook cut short, deleted at the start of the run, or a session id that changed).
    All of an owner's rows are replaced, so sessions that a late event merged or renumbered leave
    no stale row behind. Erased owners' rows go with the erasure purge at the end of the run.
-#}
{{ config(
    meta={
        'erasure': {'identifiers': [["'anonymous_id'", 'anonymous_id'], ["'user_id'", 'user_id']]},
        'retention': {'column': 'first_received_at', 'days_var': 'event_retention_days'},
    },
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['session_owner_type', 'session_owner_id'],
    on_schema_change='sync_all_columns',
) }}

{%- set non_interaction_list = "('" ~ var('non_interaction_events') | join("', '") ~ "')" -%}

with

-- Inlined: an incremental run reads it twice, for a few columns or a few owners.
sessionized as {{ audience.materialized_cte(false) }} (
    select * from {{ ref('int_events_sessionized') }}
),

{% if is_incremental() %}
    loaded_sessions as (
        select
            session_id,
            last_received_at
        from {{ this }}
    ),

    new_events_since as (
        select {{ audience.lookback_start('loaded_sessions.last_received_at') }} as received_since
        from loaded_sessions
    ),

    -- Owners with events received in the window (every owner when nothing is loaded yet, or the
    -- column was just added) or with events of a session missing here.
    changed_owners as (
        select distinct
            sessionized.session_owner_type,
            sessionized.session_owner_id
        from sessionized
        cross join new_events_since
        left join loaded_sessions on sessionized.session_id = loaded_sessions.session_id
        where
            coalesce(sessionized.received_at >= new_events_since.received_since, true)
            or loaded_sessions.session_id is null
    ),

{% endif %}
-- Stored for an incremental run's few owners; a full build reads the events five times, each
-- for a few columns, instead of storing every wide event row.
events as {{ audience.materialized_cte(is_incremental()) }} (
    {% if is_incremental() %}
        select sessionized.*
        from sessionized
        inner join changed_owners
            on
                sessionized.session_owner_type = changed_owners.session_owner_type
                and sessionized.session_owner_id = changed_owners.session_owner_id
    {% else %}
        select * from sessionized
    {% endif %}
),

channel_rules as (
    select * from {{ ref('channel_rules') }}
),

currencies as (
    select * from {{ ref('currencies') }}
),

-- An empty pattern means "any": null as seeds load it, or an empty string.
channel_patterns as (
    select
        priority,
        channel,
        {{ audience.clean_text('utm_medium_pattern') }} as utm_medium_pattern,
        {{ audience.clean_text('utm_source_pattern') }} as utm_source_pattern,
        {{ audience.clean_text('referrer_pattern') }} as referrer_pattern
    from channel_rules
),

reporting_currency as (
    select currencies.units_per_usd
    from currencies
    where currencies.currency_code = '{{ var("reporting_currency") }}'
),

-- Order revenue in var reporting_currency; an event without a currency is in the reporting currency.
events_in_reporting_currency as (
    select
        events.*,
        cast(
            events.revenue / event_currency.units_per_usd * reporting_currency.units_per_usd
            as {{ dbt.type_numeric() }}
        ) as revenue_in_reporting_currency
    from events
    left join currencies as event_currency
        on coalesce(events.currency_code, '{{ var("reporting_currency") }}') = event_currency.currency_code
    left join reporting_currency on true
),

session_totals as (
    select
        session_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        min(received_at) as first_received_at,
        max(received_at) as last_received_at,
        {{ dbt.datediff('min(event_at)', 'max(event_at)', 'second') | trim }} as duration_seconds,
        count(*) as events,
        count(case when event_type = 'page' then 1 end) as page_views,
        count(
            case when event_type = 'track' and event_name not in {{ non_interaction_list }} then 1 end
        ) as interaction_events,
        count(case when event_type = 'track' and event_name = 'Product Viewed' then 1 end) as product_views,
        count(case when event_type = 'track' and event_name = 'Product Added' then 1 end) as add_to_carts,
        count(
            case when event_type = 'track' and event_name = 'Checkout Started' then 1 end
        ) as checkouts_started,
        count(case when event_type = 'track' and event_name = 'Order Completed' then 1 end) as orders,
        cast(
            coalesce(
                sum(
                    case
                        when event_type = 'track' and event_name = 'Order Completed'
                            then revenue_in_reporting_currency
                    end
                ),
                0
            ) as {{ dbt.type_numeric() }}
        ) as revenue,
        count(distinct user_id) as distinct_user_ids,
        -- not always 1: the retention hook may have dropped a session's first events
        min(event_number_in_session) as landing_event_number,
        max(event_number_in_session) as exit_event_number,
        min(case when user_id is not null then event_number_in_session end) as first_user_event_number,
        min(
            case
                when
                    utm_source is not null
                    or utm_medium is not null
                    or utm_campaign is not null
                    or utm_content is not null
                    or utm_term is not null
                    then event_number_in_session
            end
        ) as first_utm_event_number
    from events_in_reporting_currency
    group by session_id
),

sessions_with_events as (
    select
        session_totals.*,
        landing_event.session_owner_type,
        landing_event.session_owner_id,
        landing_event.anonymous_id,
        landing_event.page_path as landing_page_path,
        landing_event.page_url as landing_page_url,
        exit_event.page_path as exit_page_path,
        exit_event.page_url as exit_page_url,
        landing_event.page_referrer as referrer,
        {{ audience.url_host('landing_event.page_referrer') }} as referrer_host,
        {{ audience.url_host('landing_event.page_url') }} as landing_host,
        first_user_event.user_id,
        utm_event.utm_source,
        utm_event.utm_medium,
        utm_event.utm_campaign,
        utm_event.utm_content,
        utm_event.utm_term,
        landing_event.device_type,
        landing_event.os_name,
        landing_event.country_code,
        landing_event.region,
        landing_event.city
    from session_totals
    inner join events as landing_event
        on
            session_totals.session_id = landing_event.session_id
            and session_totals.landing_event_number = landing_event.event_number_in_session
    inner join events as exit_event
        on
            session_totals.session_id = exit_event.session_id
            and session_totals.exit_event_number = exit_event.event_number_in_session
    left join events as first_user_event
        on
            session_totals.session_id = first_user_event.session_id
            and session_totals.first_user_event_number = first_user_event.event_number_in_session
    left join events as utm_event
        on
            session_totals.session_id = utm_event.session_id
            and session_totals.first_utm_event_number = utm_event.event_number_in_session
),

-- A referrer on the site itself (e.g. a session that began after a timeout) is no traffic source.
sessions_with_traffic as (
    select
        *,
        case when referrer_host != landing_host or landing_host is null then referrer_host end as external_referrer_host
    from sessions_with_events
),

traffic_sources as (
    select distinct
        utm_medium,
        utm_source,
        external_referrer_host
    from sessions_with_traffic
),

matching_rules as (
    select
        sources.utm_medium,
        sources.utm_source,
        sources.external_referrer_host,
        rules.channel,
        row_number() over (
            partition by sources.utm_medium, sources.utm_source, sources.external_referrer_host
            order by rules.priority
        ) as rule_rank
    from traffic_sources as sources
    inner join channel_patterns as rules
        on
            (
                rules.utm_medium_pattern is null
                or coalesce({{ audience.regex_full_match('sources.utm_medium', 'rules.utm_medium_pattern') }}, false)
            )
            and (
                rules.utm_source_pattern is null
                or coalesce({{ audience.regex_full_match('sources.utm_source', 'rules.utm_source_pattern') }}, false)
            )
            and (
                rules.referrer_pattern is null
                or coalesce(
                    {{ audience.regex_full_match('sources.external_referrer_host', 'rules.referrer_pattern') }}, false
                )
            )
),

-- The first matching rule by priority wins. Empty strings stand in for nulls in the join keys.
channels as (
    select
        coalesce(utm_medium, '') as utm_medium_key,
        coalesce(utm_source, '') as utm_source_key,
        coalesce(external_referrer_host, '') as referrer_host_key,
        channel
    from matching_rules
    where rule_rank = 1
),

final as (
    select
        sessions.session_id,
        sessions.session_owner_type,
        sessions.session_owner_id,
        sessions.anonymous_id,
        sessions.user_id,
        sessions.distinct_user_ids,
        sessions.started_at,
        sessions.ended_at,
        sessions.first_received_at,
        sessions.last_received_at,
        sessions.duration_seconds,
        sessions.page_views,
        sessions.events,
        sessions.landing_page_path,
        sessions.landing_page_url,
        sessions.exit_page_path,
        sessions.exit_page_url,
        sessions.referrer,
        sessions.external_referrer_host as referrer_host,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        sessions.utm_content,
        sessions.utm_term,
        channels.channel,
        sessions.device_type,
        sessions.os_name,
        sessions.country_code,
        sessions.region,
        sessions.city,
        sessions.page_views = 1 and sessions.interaction_events = 0 as is_bounce,
        sessions.orders > 0 as has_conversion,
        sessions.product_views,
        sessions.add_to_carts,
        sessions.checkouts_started,
        sessions.orders,
        sessions.revenue
    from sessions_with_traffic as sessions
    left join channels
        on
            coalesce(sessions.utm_medium, '') = channels.utm_medium_key
            and coalesce(sessions.utm_source, '') = channels.utm_source_key
            and coalesce(sessions.external_referrer_host, '') = channels.referrer_host_key
)

select * from final
