{#-
    Fails when raw rows != staged rows + rejected rows + deduplicated rows + rows excluded because
    their person was erased or they are past the retention window (macro is_excluded_raw_row), i.e.
    when a staging model and its quarantine lose or invent rows. Returns one row with the five
    counts on failure.

    The project's own test, not from dbt-utils (the other files here are vendored from it).
-#}
{% test reconciles_with_source(model, source_name, table_name, quarantine_model) %}

with

raw_rows as (
    select
        count(*) as row_count,
        sum(case when {{ audience.is_excluded_raw_row(source_name, table_name) }} then 1 else 0 end) as excluded_count
    from {{ audience.raw_source(source_name, table_name) }}
),

staged_rows as (
    select count(*) as row_count from {{ model }}
),

quarantined_rows as (
    select
        sum(case when quarantine_action = 'rejected' then 1 else 0 end) as rejected_count,
        sum(case when quarantine_action = 'deduplicated' then 1 else 0 end) as deduplicated_count
    from {{ quarantine_model }}
),

counts as (
    select
        raw_rows.row_count as raw_count,
        coalesce(raw_rows.excluded_count, 0) as excluded_count,
        staged_rows.row_count as staged_count,
        coalesce(quarantined_rows.rejected_count, 0) as rejected_count,
        coalesce(quarantined_rows.deduplicated_count, 0) as deduplicated_count
    from raw_rows
    cross join staged_rows
    cross join quarantined_rows
)

select * from counts
where raw_count != staged_count + rejected_count + deduplicated_count + excluded_count

{% endtest %}
