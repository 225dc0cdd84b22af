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
        '{{ audience.materialized_cte() }}' as stored_hint,
        '{{ audience.materialized_cte(false) }}' as inlined_hint,
        stored_pairs.pair_count as stored_pair_count,
        inlined_pairs.pair_count as inlined_pair_count
    from stored_pairs
    cross join inlined_pairs
)

select * from checks
where
    stored_hint != 'materialized'
    or inlined_hint != 'not materialized'
    or stored_pair_count != 2
    or inlined_pair_count != 2
