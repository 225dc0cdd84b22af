{{ config(
    meta={
        'erasure': {'persons': ['person_id']},
        'retention': {'column': 'valid_to', 'days_var': 'history_retention_days'},
    },
    materialized='incremental',
    full_refresh=false if var('protect_history') else none,
    incremental_strategy='delete+insert',
    unique_key=['segment_name', 'person_id', 'valid_from'],
    on_schema_change='fail',
    pre_hook=[
        "{% if is_incremental() %}{{ audience.delete_rows(this, 'valid_from >= (select as_of_date from ' ~ ref('int_persons_profiled') ~ ')') }}{% endif %}",
        "{% if is_incremental() and (var('rewind_history') or env_var('AUDIENCE_REWIND_HISTORY', '') == 'true') %}{% do audience.run_statements('rewind_history', audience.rows_updated_statements(this, {'valid_to': 'null', 'is_current': 'true'}, 'valid_to >= (select as_of_date from ' ~ ref('int_persons_profiled') ~ ')')) %}{% endif %}",
    ],
) }}

-- One row per membership interval. Each run, as of its as-of date: people who newly qualify open
-- an interval (valid_from = the as-of date), people who no longer qualify close theirs
-- (valid_to = the as-of date); closed intervals are never touched again, so a person who leaves
-- and comes back has two rows. Building the same as-of date again replaces what that date wrote;
-- an as-of date before the latest one in the history stops the run (rebuild with --full-refresh),
-- unless var rewind_history (or env AUDIENCE_REWIND_HISTORY) is true, as `audience backfill` sets
-- it on its first date: then the history is first rewound to the eve of the as-of date (intervals
-- opened since deleted, those closed since reopened), and the dates after it are evaluated again,
-- one after the other.
{%- if is_incremental() and execute and model.resource_type != 'unit_test' %}
    {%- set latest = run_query(
        "select max(valid_from), max(valid_to) from " ~ this
    ).rows[0] %}
    {%- set as_of_date = run_query("select as_of_date from " ~ ref('int_persons_profiled')).rows[0][0] %}
    {%- set latest_date = [latest[0], latest[1]] | reject('none') | max %}
    {%- set rewind = var('rewind_history') or env_var('AUDIENCE_REWIND_HISTORY', '') == 'true' %}
    {%- if latest_date and as_of_date < latest_date and not rewind %}
        {{ exceptions.raise_compiler_error(
            "fct_segment_membership_history: as-of date " ~ as_of_date ~ " is before the latest date already in the history, "
            ~ latest_date ~ "; history is only appended to. Build with a later var as_of_date, replay the dates since with `audience backfill`, or rebuild it with --full-refresh."
        ) }}
    {%- endif %}
{%- endif %}

with

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

members as (
    select
        segment_name,
        person_id,
        is_holdout
    from {{ ref('int_segment_members_prioritized') }}
    where is_member
),

open_before as (
    -- intervals open before this build (or closed by an earlier build of this same as-of date)
    {% if is_incremental() -%}
        select
            history.segment_name,
            history.person_id,
            history.valid_from,
            history.valid_to,
            history.is_holdout
        from {{ this }} as history
        cross join as_of
        where
            history.valid_from < as_of.as_of_date
            and (history.valid_to is null or history.valid_to = as_of.as_of_date)
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as segment_name,
            cast(null as {{ dbt.type_string() }}) as person_id,
            cast(null as date) as valid_from,
            cast(null as date) as valid_to,
            cast(null as {{ dbt.type_boolean() }}) as is_holdout
        where 1 = 0
    {%- endif %}
),

changed as (
    -- only intervals whose state changes are written: closed now, or reopened after an earlier
    -- build of this as-of date closed them
    select
        open_before.segment_name,
        open_before.person_id,
        open_before.valid_from,
        case when members.person_id is null then as_of.as_of_date end as valid_to,
        open_before.is_holdout
    from open_before
    cross join as_of
    left join members
        on
            open_before.segment_name = members.segment_name
            and open_before.person_id = members.person_id
    where (members.person_id is null) = (open_before.valid_to is null)
),

entered as (
    select
        members.segment_name,
        members.person_id,
        as_of.as_of_date as valid_from,
        cast(null as date) as valid_to,
        members.is_holdout
    from members
    cross join as_of
    left join open_before
        on
            members.segment_name = open_before.segment_name
            and members.person_id = open_before.person_id
    where open_before.person_id is null
),

intervals as (
    select * from changed
    union all
    select * from entered
),

final as (
    select
        segment_name,
        person_id,
        valid_from,
        valid_to,
        valid_to is null as is_current,
        is_holdout,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as recorded_at
    from intervals
)

select * from final
