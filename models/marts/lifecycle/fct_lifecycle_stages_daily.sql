{#-
    One row per person per day of the var lifecycle_daily_history_days days ending on the as-of
    date, from the day the person was first seen: their lifecycle stage that day, expanded from
    fct_lifecycle_stage_periods.

    Incremental with delete+insert on (person_id, stage_date): a refresh writes the new days of
    every person, and rewrites every day of the persons whose periods in the window differ from
    the stored ones (late orders, merges, splits, stage changes by date, new persons), found by
    comparing the periods with the stored rows that begin one: each period's first stored day. A
    rewritten day a person no longer has is written with a null stage, and the post-hook deletes
    it with the days before the window. A window that starts earlier than the stored one (an
    earlier as-of date, a longer history) while someone was seen then rewrites every person.
-#}
{%- set history_days = var('lifecycle_daily_history_days') %}
{{ config(
    meta={'erasure': {'persons': ['person_id']}},
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['person_id', 'stage_date'],
    on_schema_change='fail',
    post_hook="{{ audience.delete_rows(this, 'lifecycle_stage is null or stage_date not between '
        ~ '(select cast(' ~ dbt.dateadd('day', " ~ (1 - history_days) ~ ", 'as_of_date') ~ ' as date) from '
        ~ ref('int_persons_profiled') ~ ') and (select as_of_date from ' ~ ref('int_persons_profiled') ~ ')') }}",
) }}

with

periods as (
    select * from {{ ref('fct_lifecycle_stage_periods') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

window_days as (
    select cast({{ dbt.dateadd('day', '1 - numbers.generated_number', 'as_of.as_of_date') }} as date) as stage_date
    from ({{ dbt.generate_series(history_days) }}) as numbers
    cross join as_of
),

{% if is_incremental() %}
    window_bounds as (
        select
            min(stage_date) as window_start_date,
            max(stage_date) as window_end_date
        from window_days
    ),

    stored as {{ audience.materialized_cte(false) }} (
        select * from {{ this }}
    ),

    stored_bounds as (
        select
            min(stage_date) as stored_start_date,
            max(stage_date) as stored_end_date,
            min(stage_since_date) as earliest_since_date
        from stored
    ),

    -- Each stored period's first stored day: the day it began, or the first day stored.
    stored_period_starts as (
        select
            stored.person_id,
            stored.lifecycle_stage,
            stored.stage_since_date
        from stored
        cross join stored_bounds
        where stored.stage_date = stored.stage_since_date or stored.stage_date = stored_bounds.stored_start_date
    ),

    stored_periods as (
        select
            *,
            lead(stage_since_date) over (partition by person_id order by stage_since_date) as next_since_date
        from stored_period_starts
    ),

    stored_periods_in_window as (
        select
            stored_periods.person_id,
            stored_periods.lifecycle_stage,
            stored_periods.stage_since_date
        from stored_periods
        cross join window_bounds
        where
            stored_periods.next_since_date is null
            or stored_periods.next_since_date > window_bounds.window_start_date
    ),

    periods_in_window as (
        select
            periods.person_id,
            periods.lifecycle_stage,
            periods.valid_from_date as stage_since_date
        from periods
        cross join window_bounds
        where
            periods.valid_from_date <= window_bounds.window_end_date
            and (periods.valid_to_date is null or periods.valid_to_date > window_bounds.window_start_date)
    ),

    -- Every person when the window starts before the stored days while someone was already seen
    -- then (an earlier as-of date, a longer history): those days are missing.
    changed_persons as (
        select distinct coalesce(stored_periods_in_window.person_id, periods_in_window.person_id) as person_id
        from stored_periods_in_window
        full outer join periods_in_window
            on
                stored_periods_in_window.person_id = periods_in_window.person_id
                and stored_periods_in_window.stage_since_date = periods_in_window.stage_since_date
                and stored_periods_in_window.lifecycle_stage = periods_in_window.lifecycle_stage
        cross join window_bounds
        cross join stored_bounds
        where
            stored_periods_in_window.person_id is null
            or periods_in_window.person_id is null
            or stored_bounds.stored_start_date
            > greatest(window_bounds.window_start_date, stored_bounds.earliest_since_date)
    ),

    -- Every day of the window for the persons rewritten whole; a day outside their periods keeps a
    -- null stage, which the post-hook deletes.
    rewritten_days as (
        select
            changed_persons.person_id,
            window_days.stage_date,
            periods.lifecycle_stage,
            periods.valid_from_date as stage_since_date
        from changed_persons
        cross join window_days
        left join periods
            on
                changed_persons.person_id = periods.person_id
                and window_days.stage_date >= periods.valid_from_date
                and (periods.valid_to_date is null or window_days.stage_date < periods.valid_to_date)
    ),

    days_after_stored as (
        select window_days.stage_date
        from window_days
        cross join stored_bounds
        where coalesce(window_days.stage_date > stored_bounds.stored_end_date, true)
    ),

    -- The days after the stored ones, for every other person.
    appended_days as (
        select
            periods.person_id,
            days_after_stored.stage_date,
            periods.lifecycle_stage,
            periods.valid_from_date as stage_since_date
        from periods
        inner join days_after_stored
            on
                periods.valid_from_date <= days_after_stored.stage_date
                and (periods.valid_to_date is null or periods.valid_to_date > days_after_stored.stage_date)
        where periods.person_id not in (select changed_persons.person_id from changed_persons)
    ),

    final as (
        select * from rewritten_days
        union all
        select * from appended_days
    )

{% else %}
    final as (
        select
            periods.person_id,
            window_days.stage_date,
            periods.lifecycle_stage,
            periods.valid_from_date as stage_since_date
        from window_days
        inner join periods
            on
                window_days.stage_date >= periods.valid_from_date
                and (periods.valid_to_date is null or window_days.stage_date < periods.valid_to_date)
    )

{% endif %}
select * from final
