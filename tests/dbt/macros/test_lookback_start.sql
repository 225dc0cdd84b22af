-- lookback_start goes var event_lookback_hours (3) back from the newest receipt up to the run's
-- start (a receipt after it, a loader's clock ahead, is left out), and is null when nothing is
-- loaded.
with

loaded as (
    select cast('2026-10-02 12:00:05' as {{ dbt.type_timestamp() }}) as received_at
    union all
    select cast('2026-10-01 08:00:00' as {{ dbt.type_timestamp() }}) as received_at
    union all
    select cast('2999-01-01 00:00:00' as {{ dbt.type_timestamp() }}) as received_at
),

starts as (
    select
        (select {{ audience.lookback_start('loaded.received_at') }} from loaded) as loaded_start,
        (
            select {{ audience.lookback_start('loaded.received_at') }}
            from loaded
            where loaded.received_at is null
        ) as empty_start
)

select * from starts
where
    loaded_start is null
    or loaded_start != cast('2026-10-02 09:00:05' as {{ dbt.type_timestamp() }})
    or empty_start is not null
