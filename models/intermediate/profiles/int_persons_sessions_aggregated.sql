-- Per person, the sessions started up to the end of the as-of date: how many (in all and in the
-- last 7, 30 and 90 days), on which device, from where, when in the day and week (by the UTC
-- start time), through which channel, and the utm tags of the first and last tagged sessions.
-- "Most sessions" ties go to the value used most recently, then to the first in alphabetical order.
-- Incremental: a run rebuilds the persons whose sessions or as-of date changed (macro
-- persons_to_rebuild).
{{ config(**audience.persons_to_rebuild_config('sessions')) }}

with

sessions as (
    select * from {{ ref('int_sessions_mapped_to_persons') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

{{ audience.persons_to_rebuild(['sessions'], 'as_of') }},

sessions_until_as_of as (
    select
        sessions_to_rebuild.*,
        as_of.last_7_days_start_at,
        as_of.last_30_days_start_at,
        as_of.last_90_days_start_at
    from sessions_to_rebuild
    inner join as_of on sessions_to_rebuild.started_at < as_of.as_of_ends_at
),

session_counts as (
    select
        person_id,
        count(*) as sessions,
        count(case when started_at >= last_7_days_start_at then 1 end) as sessions_last_7_days,
        count(case when started_at >= last_30_days_start_at then 1 end) as sessions_last_30_days,
        count(case when started_at >= last_90_days_start_at then 1 end) as sessions_last_90_days,
        min(started_at) as first_session_at,
        max(started_at) as last_session_at
    from sessions_until_as_of
    group by person_id
),

-- One row per session and attribute whose most frequent value is wanted.
session_attributes as (
    {%- for attribute_name, expression in [
        ('device_type', 'device_type'),
        ('daypart', audience.daypart('started_at')),
        ('weekday', audience.weekday_name('started_at')),
        ('channel', 'channel'),
    ] %}
        {{ 'union all' if not loop.first }}
        select
            person_id,
            session_id,
            started_at,
            '{{ attribute_name }}' as attribute_name,
            {{ expression }} as attribute_value
        from sessions_until_as_of
    {%- endfor %}
),

attribute_counts as (
    select
        person_id,
        attribute_name,
        attribute_value,
        count(*) as sessions,
        max(started_at) as last_started_at
    from session_attributes
    where attribute_value is not null
    group by person_id, attribute_name, attribute_value
),

ranked_attributes as (
    select
        *,
        row_number() over (
            partition by person_id, attribute_name
            order by sessions desc, last_started_at desc, attribute_value asc
        ) as attribute_rank
    from attribute_counts
),

preferred_attributes as (
    select
        person_id,
        max(case when attribute_name = 'device_type' then attribute_value end) as primary_device_type,
        max(case when attribute_name = 'daypart' then attribute_value end) as preferred_daypart,
        max(case when attribute_name = 'weekday' then attribute_value end) as preferred_weekday,
        max(case when attribute_name = 'channel' then attribute_value end) as top_channel
    from ranked_attributes
    where attribute_rank = 1
    group by person_id
),

ranked_sessions as (
    select
        *,
        row_number() over (
            partition by person_id order by started_at desc, session_id desc
        ) as recency_rank
    from sessions_until_as_of
),

last_sessions as (
    select * from ranked_sessions
    where recency_rank = 1
),

tagged_sessions as (
    select
        *,
        row_number() over (
            partition by person_id order by started_at asc, session_id asc
        ) as first_touch_rank,
        row_number() over (
            partition by person_id order by started_at desc, session_id desc
        ) as last_touch_rank
    from sessions_until_as_of
    where utm_source is not null or utm_medium is not null or utm_campaign is not null
),

first_touches as (
    select * from tagged_sessions
    where first_touch_rank = 1
),

last_touches as (
    select * from tagged_sessions
    where last_touch_rank = 1
),

final as (
    select
        persons_to_rebuild.person_id,
        session_counts.sessions,
        session_counts.sessions_last_7_days,
        session_counts.sessions_last_30_days,
        session_counts.sessions_last_90_days,
        session_counts.first_session_at,
        session_counts.last_session_at,
        preferred_attributes.primary_device_type,
        last_sessions.device_type as last_device_type,
        last_sessions.country_code as last_country_code,
        last_sessions.city as last_city,
        preferred_attributes.preferred_daypart,
        preferred_attributes.preferred_weekday,
        preferred_attributes.top_channel,
        first_touches.utm_source as first_touch_utm_source,
        first_touches.utm_medium as first_touch_utm_medium,
        first_touches.utm_campaign as first_touch_utm_campaign,
        last_touches.utm_source as last_touch_utm_source,
        last_touches.utm_medium as last_touch_utm_medium,
        last_touches.utm_campaign as last_touch_utm_campaign,
        persons_to_rebuild.input_fingerprint
    from persons_to_rebuild
    left join session_counts on persons_to_rebuild.person_id = session_counts.person_id
    left join preferred_attributes on persons_to_rebuild.person_id = preferred_attributes.person_id
    left join last_sessions on persons_to_rebuild.person_id = last_sessions.person_id
    left join first_touches on persons_to_rebuild.person_id = first_touches.person_id
    left join last_touches on persons_to_rebuild.person_id = last_touches.person_id
)

select * from final
