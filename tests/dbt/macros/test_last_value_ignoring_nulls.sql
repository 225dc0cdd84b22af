-- last_value_ignoring_nulls carries the last non-null value of a running frame past the nulls after it.
with

cases as (
    select * from (
        values
        (1, 'a', 'a'),
        (2, null, 'a'),
        (3, 'b', 'b'),
        (4, null, 'b'),
        (5, null, 'b')
    ) as t (position, value, expected)
),

actual as (
    select
        *,
        {{ audience.last_value_ignoring_nulls('value') }} over (
            order by position rows between unbounded preceding and current row
        ) as carried
    from cases
)

select * from actual
where carried is distinct from expected
