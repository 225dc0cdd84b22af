-- Per person with activity in the engagement window (var engagement_window_days ending on the
-- as-of date): points per signal of seeds/engagement_signals.csv, each occurrence worth its weight
-- halved every half_life_days of age, and a 0-100 score that reaches 50 at var
-- engagement_half_score_points points: score = 100 * points / (points + half score points).
{%- set number = dbt.type_numeric() %}

with

sessions as (
    select * from {{ ref('int_sessions_mapped_to_persons') }}
),

events as (
    select * from {{ ref('int_events_mapped_to_persons') }}
),

signals as (
    select * from {{ ref('engagement_signals') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

window_bounds as (
    select
        as_of_date,
        as_of_ends_at,
        {{ dbt.dateadd('day', -1 * var('engagement_window_days'), 'as_of_ends_at') }} as window_starts_at
    from as_of
),

occurrences as (
    select
        person_id,
        'session' as signal_name,
        started_at as occurred_at
    from sessions
    union all
    select
        person_id,
        case
            when event_type = 'page' then 'page_view'
            when event_name = 'Email Link Clicked' then 'email_click'
            else 'video_completion'
        end as signal_name,
        event_at as occurred_at
    from events
    where
        event_type = 'page'
        or event_name = 'Email Link Clicked'
        or (event_name = 'Video Content Playing' and percent_watched > 75)
),

decayed as (
    select
        occurrences.person_id,
        occurrences.signal_name,
        signals.weight * power(
            0.5,
            1.0 * {{ dbt.datediff('cast(occurrences.occurred_at as date)', 'window_bounds.as_of_date', 'day') }}
            / signals.half_life_days
        ) as points
    from occurrences
    inner join window_bounds
        on
            occurrences.occurred_at >= window_bounds.window_starts_at
            and occurrences.occurred_at < window_bounds.as_of_ends_at
    inner join signals on occurrences.signal_name = signals.signal_name
),

person_points as (
    select
        person_id,
        sum(case when signal_name = 'session' then points else 0 end) as session_points,
        sum(case when signal_name = 'page_view' then points else 0 end) as page_view_points,
        sum(case when signal_name = 'email_click' then points else 0 end) as email_click_points,
        sum(case when signal_name = 'video_completion' then points else 0 end) as video_completion_points,
        sum(points) as engagement_points
    from decayed
    group by person_id
),

final as (
    select
        person_id,
        cast(session_points as {{ number }}) as session_points,
        cast(page_view_points as {{ number }}) as page_view_points,
        cast(email_click_points as {{ number }}) as email_click_points,
        cast(video_completion_points as {{ number }}) as video_completion_points,
        cast(engagement_points as {{ number }}) as engagement_points,
        cast(
            round(100.0 * engagement_points / (engagement_points + {{ var('engagement_half_score_points') }}))
            as {{ dbt.type_int() }}
        ) as engagement_score
    from person_points
)

select * from final
