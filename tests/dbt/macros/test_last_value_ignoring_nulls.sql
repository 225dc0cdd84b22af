-- last_value_ignoring_nulls over a frame ending at the current row carries the latest non-null
-- value forward, is null before the first one, and restarts in each partition.
with

observed as (
    select 'a' as series_id, 1 as position, 'x' as observed_value
    union all
    select 'a' as series_id, 2 as position, null as observed_value
    union all
    select 'a' as series_id, 3 as position, 'y' as observed_value
    union all
    select 'a' as series_id, 4 as position, null as observed_value
    union all
    select 'b' as series_id, 1 as position, null as observed_value
    union all
    select 'b' as series_id, 2 as position, 'z' as observed_value
),

carried as (
    select
        series_id,
        position,
        {{ audience.last_value_ignoring_nulls('observed_value') }} over (
            partition by series_id order by position rows between unbounded preceding and current row
        ) as carried_value
    from observed
),

expected as (
    select 'a' as series_id, 1 as position, 'x' as carried_value
    union all
    select 'a' as series_id, 2 as position, 'x' as carried_value
    union all
    select 'a' as series_id, 3 as position, 'y' as carried_value
    union all
    select 'a' as series_id, 4 as position, 'y' as carried_value
    union all
    select 'b' as series_id, 1 as position, null as carried_value
    union all
    select 'b' as series_id, 2 as position, 'z' as carried_value
)

select
    carried.series_id,
    carried.position,
    carried.carried_value
from carried
inner join expected
    on carried.series_id = expected.series_id and carried.position = expected.position
where carried.carried_value is distinct from expected.carried_value
