{{ config(
    meta={
        'erasure': {'persons': ['merged_person_id', 'surviving_person_id']},
        'retention': {'column': 'recorded_at', 'days_var': 'history_retention_days'},
    },
    materialized='incremental',
    full_refresh=false if var('protect_history') else none,
    incremental_strategy='append',
) }}

-- One row per person id that stopped existing (merged into another) or lost identifiers to a
-- new person (split) in a run; appended, so the history is never rewritten.
with

resolved as (
    select * from {{ ref('int_identifiers_resolved') }}
),

changes as (
    select
        previous_person_id,
        person_id,
        count(*) as identifiers_moved
    from resolved
    where has_changed_person and resolved_invocation_id = '{{ invocation_id }}'
    group by previous_person_id, person_id
),

surviving_persons as (
    select distinct person_id from resolved
),

final as (
    select
        changes.previous_person_id as merged_person_id,
        changes.person_id as surviving_person_id,
        case when surviving_persons.person_id is null then 'merged' else 'split' end as change_type,
        changes.identifiers_moved,
        {{ dbt.current_timestamp() }} as recorded_at,
        '{{ invocation_id }}' as invocation_id
    from changes
    left join surviving_persons on changes.previous_person_id = surviving_persons.person_id
)

select * from final
