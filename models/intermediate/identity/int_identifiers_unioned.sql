{{ config(meta={'erasure': {'identifiers': [['identifier_type', 'identifier_value']]}}) }}

-- Every identifier seen anywhere, how many others it is linked to, and whether it may merge persons
-- (not when blocked by seeds/identity_blocked_values.csv or over seeds/identity_link_limits.csv).
with

links_per_type as (
    select * from {{ ref('int_identifier_links_counted') }}
),

limits as (
    select * from {{ ref('identity_link_limits') }}
),

blocked_values as (
    select * from {{ ref('identity_blocked_values') }}
),

identifies as (
    select * from {{ ref('stg_segment__identifies') }}
),

-- Inlined, as pages: read twice, each for a few columns (stored, it would hold every wide row).
tracks as {{ audience.materialized_cte(false) }} (
    select * from {{ ref('stg_segment__tracks') }}
),

pages as {{ audience.materialized_cte(false) }} (
    select * from {{ ref('stg_segment__pages') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

orders as (
    select * from {{ ref('stg_crm__orders') }}
),

survey_responses as (
    select * from {{ ref('stg_crm__survey_responses') }}
),

sightings as (
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        event_at as seen_at
    from tracks
    where anonymous_id is not null
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        event_at as seen_at
    from tracks
    where user_id is not null
    union all
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        viewed_at as seen_at
    from pages
    where anonymous_id is not null
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        viewed_at as seen_at
    from pages
    where user_id is not null
    union all
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        identified_at as seen_at
    from identifies
    where anonymous_id is not null
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        identified_at as seen_at
    from identifies
    where user_id is not null
    union all
    select
        'email' as identifier_type,
        email as identifier_value,
        identified_at as seen_at
    from identifies
    where email is not null
    union all
    select
        'phone' as identifier_type,
        phone as identifier_value,
        identified_at as seen_at
    from identifies
    where phone is not null
    union all
    select
        'contact_id' as identifier_type,
        contact_id as identifier_value,
        created_at as seen_at
    from contacts
    union all
    select
        'email' as identifier_type,
        email as identifier_value,
        created_at as seen_at
    from contacts
    where email is not null
    union all
    select
        'phone' as identifier_type,
        phone as identifier_value,
        created_at as seen_at
    from contacts
    where phone is not null
    union all
    select
        'email' as identifier_type,
        email as identifier_value,
        ordered_at as seen_at
    from orders
    where email is not null
    union all
    select
        'contact_id' as identifier_type,
        contact_id as identifier_value,
        ordered_at as seen_at
    from orders
    where contact_id is not null
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        ordered_at as seen_at
    from orders
    where user_id is not null
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        answered_at as seen_at
    from survey_responses
    where user_id is not null
    union all
    select
        'email' as identifier_type,
        email as identifier_value,
        answered_at as seen_at
    from survey_responses
    where email is not null
),

seen as (
    select
        identifier_type,
        identifier_value,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at
    from sightings
    group by identifier_type, identifier_value
),

link_checks as (
    select
        links_per_type.identifier_type,
        links_per_type.identifier_value,
        cast(sum(links_per_type.linked_count) as {{ dbt.type_bigint() }}) as linked_identifier_count,
        max(case when links_per_type.linked_count > limits.max_linked then 1 else 0 end) = 1
            as is_over_type_limit
    from links_per_type
    left join limits
        on links_per_type.identifier_type = limits.identifier_type
            and links_per_type.linked_type = limits.linked_identifier_type
    group by links_per_type.identifier_type, links_per_type.identifier_value
),

blocked as (
    select distinct
        seen.identifier_type,
        seen.identifier_value
    from seen
    inner join blocked_values
        on seen.identifier_type = blocked_values.identifier_type
            and seen.identifier_value like blocked_values.value_pattern
),

final as (
    select
        row_number() over (order by seen.identifier_type, seen.identifier_value) as node_id,
        {{ audience.identifier_key('seen.identifier_type', 'seen.identifier_value') }} as identifier_key,
        seen.identifier_type,
        seen.identifier_value,
        seen.first_seen_at,
        seen.last_seen_at,
        coalesce(link_checks.linked_identifier_count, 0) as linked_identifier_count,
        case
            when blocked.identifier_value is not null then 'blocked_value'
            when link_checks.is_over_type_limit then 'over_type_limit'
            when link_checks.linked_identifier_count > {{ var('identity_max_links') }} then 'over_total_limit'
        end as merge_exclusion_reason
    from seen
    left join link_checks
        on seen.identifier_type = link_checks.identifier_type
            and seen.identifier_value = link_checks.identifier_value
    left join blocked
        on seen.identifier_type = blocked.identifier_type
            and seen.identifier_value = blocked.identifier_value
)

select * from final
