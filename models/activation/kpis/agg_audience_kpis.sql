-- One row per audience as of the as-of date: everybody (`all`), each lifecycle stage, each RFM
-- segment, each churn risk band and each segment of models/activation/segments. Members, how many visited in
-- the last 30 days (engagement rate), how their sessions of the last 30 days converted and
-- bounced, revenue per member and average scores. A person counts in one audience per dimension,
-- except segments, which overlap.
{%- set number = dbt.type_numeric() %}
{%- set bigint = dbt.type_bigint() %}

with

users as (
    select * from {{ ref('dim_persons') }}
),

sessions as (
    select * from {{ ref('int_sessions_mapped_to_persons') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

segment_memberships as (
    select * from {{ ref('fct_segment_memberships') }}
),

recent_sessions as (
    select
        sessions.person_id,
        count(*) as sessions,
        count(case when sessions.has_conversion then 1 end) as converting_sessions,
        count(case when sessions.is_bounce then 1 end) as bounced_sessions
    from sessions
    inner join as_of
        on
            sessions.started_at >= as_of.last_30_days_start_at
            and sessions.started_at < as_of.as_of_ends_at
    group by sessions.person_id
),

members as (
    select
        users.person_id,
        users.lifecycle_stage,
        users.rfm_segment,
        users.churn_risk_band,
        users.revenue,
        users.engagement_score,
        users.predicted_clv_12_months,
        coalesce(recent_sessions.sessions, 0) as sessions,
        coalesce(recent_sessions.converting_sessions, 0) as converting_sessions,
        coalesce(recent_sessions.bounced_sessions, 0) as bounced_sessions
    from users
    left join recent_sessions on users.person_id = recent_sessions.person_id
),

memberships as (
    select
        'all' as audience_type,
        'all' as audience,
        members.*
    from members
    union all
    select
        'lifecycle_stage' as audience_type,
        lifecycle_stage as audience,
        members.*
    from members
    where lifecycle_stage is not null
    union all
    select
        'rfm_segment' as audience_type,
        rfm_segment as audience,
        members.*
    from members
    where rfm_segment is not null
    union all
    select
        'churn_risk_band' as audience_type,
        churn_risk_band as audience,
        members.*
    from members
    where churn_risk_band is not null
    union all
    select
        'segment' as audience_type,
        segment_memberships.segment_name as audience,
        members.*
    from members
    inner join segment_memberships on members.person_id = segment_memberships.person_id
),

aggregated as (
    select
        audience_type,
        audience,
        count(*) as members,
        count(case when sessions > 0 then 1 end) as engaged_members,
        sum(sessions) as sessions,
        sum(converting_sessions) as converting_sessions,
        sum(bounced_sessions) as bounced_sessions,
        sum(revenue) as revenue,
        avg(engagement_score) as average_engagement_score,
        avg(predicted_clv_12_months) as average_predicted_clv_12_months
    from memberships
    group by audience_type, audience
),

final as (
    select
        aggregated.audience_type,
        aggregated.audience,
        as_of.as_of_date,
        cast(aggregated.members as {{ bigint }}) as members,
        cast(aggregated.engaged_members as {{ bigint }}) as engaged_members,
        cast(1.0 * aggregated.engaged_members / aggregated.members as {{ number }}) as engagement_rate,
        cast(aggregated.sessions as {{ bigint }}) as sessions_last_30_days,
        cast(1.0 * aggregated.converting_sessions / nullif(aggregated.sessions, 0) as {{ number }})
            as conversion_rate,
        cast(1.0 * aggregated.bounced_sessions / nullif(aggregated.sessions, 0) as {{ number }}) as bounce_rate,
        cast(aggregated.revenue / aggregated.members as {{ number }}) as revenue_per_member,
        cast(aggregated.average_engagement_score as {{ number }}) as average_engagement_score,
        cast(aggregated.average_predicted_clv_12_months as {{ number }}) as average_predicted_clv_12_months
    from aggregated
    cross join as_of
)

select * from final
