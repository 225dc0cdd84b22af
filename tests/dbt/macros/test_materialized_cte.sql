-- materialized_cte gives DuckDB's hint either way, and a CTE referenced twice under either hint
-- gives the same rows.
with

stored as {{ audience.materialized_cte() }} (
    select 1 as n
    union all
    select 2 as n
),

inlined as {{ audience.materialized_cte(false) }} (
    select 1 as n
    union all
    select 2 as n
),

stored_pairs as (
    select count(*) as pair_count
    from stored
    inner join stored as stored_again on stored.n = stored_again.n
),

inlined_pairs as (
    select count(*) as pair_count
    from inlined
    inner join inlined as inlined_again on inlined.n = inlined_again.n
),

checks as (
    select
        '{{ audience.materialized_cte() }}' as hint,
        'materialized' as expected_hint,
        stored_pairs.pair_count,
        inlined_pairs.pair_count as inlined_pair_count
    from stored_pairs
    cross join inlined_pairs
    union all
    select
        '{{ audience.materialized_cte(false) }}' as hint,
        'not materialized' as expected_hint,
        2 as pair_count,
        2 as inlined_pair_count
)

select * from checks
where hint != expected_hint or pair_count != 2 or inlined_pair_count != 2
