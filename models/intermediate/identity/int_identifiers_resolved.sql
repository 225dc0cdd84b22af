{{ config(
    meta={'erasure': {'identifiers': [['identifier_type', 'identifier_value']]}},
    materialized='incremental',
    full_refresh=false if var('protect_history') else none,
    incremental_strategy='delete+insert',
    unique_key='identifier_key',
    on_schema_change='fail',
) }}

-- One stable person_id per identifier. A person keeps its id across runs and when identifiers
-- join it. When persons merge, the one first seen earliest survives (ties: the smaller id). When a
-- person splits, the id stays with the part holding most of its identifiers; the others get new ids.
-- A person with an identifier on the erasure list is left out whole (its earlier rows are deleted
-- by the purge at the end of the run, macro purge_erasures).
with

identifiers as (
    select * from {{ ref('int_identifiers_unioned') }}
),

clusters as (
    select * from {{ ref('int_identifiers_clustered') }}
),

erasures as (
    select * from {{ ref('int_identifiers_erased') }}
),

erased_components as (
    select distinct clusters.component_id
    from identifiers
    inner join clusters on identifiers.node_id = clusters.node_id
    where {{ audience.pii_hash('identifiers.identifier_key') }} in (select erasures.identifier_hash from erasures)
),

current_members as (
    select
        clusters.component_id,
        identifiers.identifier_key,
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.first_seen_at,
        identifiers.last_seen_at,
        identifiers.linked_identifier_count,
        identifiers.merge_exclusion_reason
    from identifiers
    inner join clusters on identifiers.node_id = clusters.node_id
    where clusters.component_id not in (select erased_components.component_id from erased_components)
),

previous as (
    {% if is_incremental() %}
        select
            identifier_key,
            person_id,
            person_first_seen_at
        from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as identifier_key,
            cast(null as {{ dbt.type_string() }}) as person_id,
            cast(null as {{ dbt.type_timestamp() }}) as person_first_seen_at
        where false
    {% endif %}
),

previous_persons_per_component as (
    select
        current_members.component_id,
        previous.person_id,
        min(previous.person_first_seen_at) as person_first_seen_at,
        count(*) as member_count
    from current_members
    inner join previous on current_members.identifier_key = previous.identifier_key
    group by current_members.component_id, previous.person_id
),

person_homes as (
    select
        *,
        row_number() over (
            partition by person_id order by member_count desc, component_id asc
        ) as home_rank
    from previous_persons_per_component
),

survivors as (
    select
        component_id,
        person_id,
        person_first_seen_at,
        row_number() over (
            partition by component_id order by person_first_seen_at, person_id
        ) as survivor_rank
    from person_homes
    where home_rank = 1
),

{%- set new_person_id = dbt.hash(
    "'person|' || components.smallest_identifier_key || '|' || coalesce(components.any_previous_person_id, '')"
) %}

components as (
    select
        current_members.component_id,
        min(current_members.identifier_key) as smallest_identifier_key,
        min(current_members.first_seen_at) as first_seen_at,
        max(previous_persons_per_component.person_id) as any_previous_person_id
    from current_members
    left join previous_persons_per_component
        on current_members.component_id = previous_persons_per_component.component_id
    group by current_members.component_id
),

component_persons as (
    select
        components.component_id,
        coalesce(
            survivors.person_id,
            -- a split-off part hashes in the id it left, so it can never reuse that id
            {{ new_person_id }}
        ) as person_id,
        coalesce(survivors.person_first_seen_at, components.first_seen_at) as person_first_seen_at
    from components
    left join survivors
        on components.component_id = survivors.component_id
            and survivors.survivor_rank = 1
),

final as (
    select
        current_members.identifier_key,
        current_members.identifier_type,
        current_members.identifier_value,
        component_persons.person_id,
        component_persons.person_first_seen_at,
        previous.person_id as previous_person_id,
        coalesce(previous.person_id != component_persons.person_id, false) as has_changed_person,
        '{{ invocation_id }}' as resolved_invocation_id,
        current_members.first_seen_at,
        current_members.last_seen_at,
        current_members.linked_identifier_count,
        current_members.merge_exclusion_reason
    from current_members
    inner join component_persons on current_members.component_id = component_persons.component_id
    left join previous on current_members.identifier_key = previous.identifier_key
)

select * from final
