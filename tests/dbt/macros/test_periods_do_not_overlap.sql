-- periods_do_not_overlap passes periods that meet end to start and one open last period, and
-- returns a period that ends before it starts, one open before another, and one overlapping the next.
with

fixture_periods as (
    select * from (
        values
        ('fine', 1, 3), ('fine', 3, 5), ('fine', 5, null),
        ('backwards', 4, 2),
        ('open early', 1, null), ('open early', 6, 8),
        ('overlap', 1, 5), ('overlap', 4, 7)
    ) as t (owner, valid_from, valid_to)
),

expected as (
    select * from (
        values
        ('backwards', 4, 2, 'ends before it starts'),
        ('open early', 1, null, 'open but not the last'),
        ('overlap', 1, 5, 'overlaps the next')
    ) as t (period_owner, period_from, period_to, failure)
),

actual as (
    {{ audience.test_periods_do_not_overlap('fixture_periods', 'owner', 'valid_from', 'valid_to') }}
),

-- each period once, with the failure expected and the one found (null: none)
compared as (
    select
        coalesce(expected.period_owner, actual.period_owner) as period_owner,
        coalesce(expected.period_from, actual.period_from) as period_from,
        expected.failure as expected_failure,
        actual.failure as actual_failure
    from expected
    full outer join actual
        on
            expected.period_owner = actual.period_owner
            and expected.period_from = actual.period_from
)

select * from compared
where expected_failure is distinct from actual_failure
