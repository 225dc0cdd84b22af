{{ config(
    materialized='incremental',
    full_refresh=false if var('protect_history') else none,
    incremental_strategy='delete+insert',
    unique_key=['segment_name', 'as_of_date'],
    on_schema_change='append_new_columns',
    pre_hook="{{ audience.hugeint_columns_narrowed() }}",
) }}

-- One row per segment per as-of date: how many qualified, how many are members after priority
-- groups, how many are held out, who entered and left that day, and whether the segment is big
-- enough to export. Each build replaces the rows of its as-of date and keeps the others.
with

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

definitions as (
    select * from {{ ref('int_segment_definitions_parsed') }}
),

qualified as (
    select * from {{ ref('int_segment_members_prioritized') }}
),

history as (
    select * from {{ ref('fct_segment_membership_history') }}
),

counts as (
    select
        segment_name,
        count(*) as qualified_people,
        count(case when is_member then 1 end) as members,
        count(case when is_member and is_holdout then 1 end) as holdout_members,
        count(case when not is_member then 1 end) as suppressed_by_priority
    from qualified
    group by segment_name
),

changes as (
    select
        history.segment_name,
        count(case when history.valid_from = as_of.as_of_date then 1 end) as entries,
        count(case when history.valid_to = as_of.as_of_date then 1 end) as exits
    from history
    cross join as_of
    group by history.segment_name
),

final as (
    select
        definitions.segment_name,
        as_of.as_of_date,
        coalesce(counts.qualified_people, 0) as qualified_people,
        coalesce(counts.members, 0) as members,
        coalesce(counts.holdout_members, 0) as holdout_members,
        coalesce(counts.suppressed_by_priority, 0) as suppressed_by_priority,
        coalesce(changes.entries, 0) as entries,
        coalesce(changes.exits, 0) as exits,
        definitions.min_size,
        coalesce(counts.members, 0) < definitions.min_size as is_below_min_size,
        coalesce(counts.members, 0) >= definitions.min_size and coalesce(counts.members, 0) > 0 as is_exportable,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as last_updated_at
    from definitions
    cross join as_of
    left join counts on definitions.segment_name = counts.segment_name
    left join changes on definitions.segment_name = changes.segment_name
),
{%- set renamed_from = audience.table_before_rename('fct_segment_sizes') %}

-- the rows of fct_segment_sizes, its name before release 0.2.0, on the first build after the rename
history_before_rename as (
    select
        segment_name,
        as_of_date,
        cast(qualified_people as {{ dbt.type_bigint() }}) as qualified_people,
        cast(members as {{ dbt.type_bigint() }}) as members,
        cast(holdout_members as {{ dbt.type_bigint() }}) as holdout_members,
        cast(suppressed_by_priority as {{ dbt.type_bigint() }}) as suppressed_by_priority,
        cast(entries as {{ dbt.type_bigint() }}) as entries,
        cast(exits as {{ dbt.type_bigint() }}) as exits,
        min_size,
        is_below_min_size,
        is_exportable,
        last_updated_at
    {%- if renamed_from is not none %}
        from {{ renamed_from }}
        where as_of_date not in (select as_of_date from as_of)
    {%- else %}
        from final
        where false
    {%- endif %}
)

select * from final
union all
select * from history_before_rename
