-- unique_combination_of_columns returns each repeated combination once with its row count,
-- nulls comparing equal; combinations that differ in any column, null included, pass.
with

fixture_rows as (
    select * from (
        values
        ('a', 1), ('a', 1), ('a', 2), ('b', 1), (null, 1), (null, 1), ('c', null), ('c', 3)
    ) as t (letter, number)
),

expected as (
    select * from (
        values ('a', 1, 2), (null, 1, 2)
    ) as t (letter, number, rows_with_combination)
),

actual as (
    {{ audience.test_unique_combination_of_columns('fixture_rows', ['letter', 'number']) }}
),

missing as (
    select * from expected
    except
    select * from actual
),

unexpected as (
    select * from actual
    except
    select * from expected
)

select * from missing
union all
select * from unexpected
