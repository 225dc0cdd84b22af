-- The current members of every segment, after priority groups: one row per segment and person,
-- with when the person entered (the start of their open interval in the history) and the values
-- that qualified them. Holdout members are here, flagged; exports leave them out.
with

members as (
    select * from {{ ref('int_segment_members_prioritized') }}
    where is_member
),

history as (
    select * from {{ ref('fct_segment_membership_history') }}
    where is_current
),

final as (
    select
        members.segment_name,
        members.person_id,
        cast(history.valid_from as {{ dbt.type_timestamp() }}) as entered_at,
        history.valid_from,
        members.as_of_date,
        members.qualifying_values,
        members.is_holdout,
        members.priority_group,
        members.priority
    from members
    inner join history
        on
            members.segment_name = history.segment_name
            and members.person_id = history.person_id
)

select * from final
