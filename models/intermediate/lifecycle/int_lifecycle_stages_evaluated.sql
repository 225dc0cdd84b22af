-- Per person, their lifecycle stage on every date it may change, up to the as-of date: the day
-- they were first seen, first known, first advocated, each order day, the day after their first
-- order stops being new, and the day after each order day's lapse threshold. Between two such
-- dates the stage cannot change. Rules (first match wins, seeds/lifecycle_stages.csv):
-- no completed order: Prospect when known, else Anonymous Visitor; last order more than var
-- lifecycle_lapsed_days ago: Lapsed; 2+ orders: Advocate when they advocated, else Repeat Buyer;
-- first order at most var lifecycle_new_customer_days ago: New Customer; else One-Time Buyer.
{%- set new_days = var('lifecycle_new_customer_days') %}
{%- set lapsed_days = var('lifecycle_lapsed_days') %}

with

milestones as (
    select * from {{ ref('int_persons_milestones_aggregated') }}
),

orders as (
    select * from {{ ref('int_completed_orders_filtered') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

order_days as (
    select
        person_id,
        order_date,
        count(*) as orders_on_date
    from orders
    group by person_id, order_date
),

first_order_days as (
    select
        person_id,
        min(order_date) as first_order_date
    from order_days
    group by person_id
),

persons as (
    select
        milestones.person_id,
        least(
            milestones.first_seen_date,
            coalesce(first_order_days.first_order_date, milestones.first_seen_date)
        ) as first_seen_date,
        milestones.known_since_date,
        milestones.advocate_since_date
    from milestones
    left join first_order_days on milestones.person_id = first_order_days.person_id
),

candidate_dates as (
    select
        person_id,
        first_seen_date as stage_date
    from persons
    union all
    select
        person_id,
        known_since_date as stage_date
    from persons
    union all
    select
        person_id,
        advocate_since_date as stage_date
    from persons
    union all
    select
        person_id,
        order_date as stage_date
    from order_days
    union all
    select
        person_id,
        cast({{ dbt.dateadd('day', lapsed_days + 1, 'order_date') }} as date) as stage_date
    from order_days
    union all
    select
        person_id,
        cast({{ dbt.dateadd('day', new_days + 1, 'first_order_date') }} as date) as stage_date
    from first_order_days
),

timeline as (
    select
        candidate_dates.person_id,
        candidate_dates.stage_date,
        coalesce(max(order_days.orders_on_date), 0) as orders_on_date,
        max(order_days.order_date) as order_date
    from candidate_dates
    inner join persons
        on
            candidate_dates.person_id = persons.person_id
            and candidate_dates.stage_date >= persons.first_seen_date
    inner join as_of on candidate_dates.stage_date <= as_of.as_of_date
    left join order_days
        on
            candidate_dates.person_id = order_days.person_id
            and candidate_dates.stage_date = order_days.order_date
    group by candidate_dates.person_id, candidate_dates.stage_date
),

states as (
    select
        timeline.person_id,
        timeline.stage_date,
        sum(timeline.orders_on_date) over (
            partition by timeline.person_id order by timeline.stage_date rows unbounded preceding
        ) as orders_to_date,
        min(timeline.order_date) over (
            partition by timeline.person_id order by timeline.stage_date rows unbounded preceding
        ) as first_order_date,
        max(timeline.order_date) over (
            partition by timeline.person_id order by timeline.stage_date rows unbounded preceding
        ) as last_order_date,
        coalesce(persons.known_since_date <= timeline.stage_date, false) as is_known,
        coalesce(persons.advocate_since_date <= timeline.stage_date, false) as has_advocated
    from timeline
    inner join persons on timeline.person_id = persons.person_id
),

state_ages as (
    select
        *,
        {{ dbt.datediff('first_order_date', 'stage_date', 'day') }}
            as days_since_first_order,
        {{ dbt.datediff('last_order_date', 'stage_date', 'day') }}
            as days_since_last_order
    from states
),

final as (
    select
        person_id,
        stage_date,
        case
            when orders_to_date = 0 and is_known then 'Prospect'
            when orders_to_date = 0 then 'Anonymous Visitor'
            when days_since_last_order > {{ lapsed_days }} then 'Lapsed'
            when orders_to_date >= 2 and has_advocated then 'Advocate'
            when orders_to_date >= 2 then 'Repeat Buyer'
            when days_since_first_order <= {{ new_days }} then 'New Customer'
            else 'One-Time Buyer'
        end as lifecycle_stage,
        cast(orders_to_date as {{ dbt.type_int() }}) as orders_to_date,
        first_order_date,
        last_order_date,
        is_known,
        has_advocated
    from state_ages
)

select * from final
