{{ config(
    meta={
        'erasure': {'identifiers': [['identifier_type', 'identifier_value'], ['linked_type', 'linked_value']]},
    },
) }}

-- Every pair of identifiers seen together, from each place two identifiers meet.
with

identifies as (
    select * from {{ ref('stg_segment__identifies') }}
),

tracks as (
    select * from {{ ref('stg_segment__tracks') }}
),

pages as (
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

identify_links as (
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        'user_id' as linked_type,
        user_id as linked_value,
        identified_at as linked_at,
        'identifies' as link_source
    from identifies
    where anonymous_id is not null and user_id is not null
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        'email' as linked_type,
        email as linked_value,
        identified_at as linked_at,
        'identifies' as link_source
    from identifies
    where user_id is not null and email is not null
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        'phone' as linked_type,
        phone as linked_value,
        identified_at as linked_at,
        'identifies' as link_source
    from identifies
    where user_id is not null and phone is not null
    union all
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        'email' as linked_type,
        email as linked_value,
        identified_at as linked_at,
        'identifies' as link_source
    from identifies
    where user_id is null and anonymous_id is not null and email is not null
    union all
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        'phone' as linked_type,
        phone as linked_value,
        identified_at as linked_at,
        'identifies' as link_source
    from identifies
    where user_id is null and anonymous_id is not null and phone is not null
),

event_links as (
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        'user_id' as linked_type,
        user_id as linked_value,
        event_at as linked_at,
        'tracks' as link_source
    from tracks
    where anonymous_id is not null and user_id is not null
    union all
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        'user_id' as linked_type,
        user_id as linked_value,
        viewed_at as linked_at,
        'pages' as link_source
    from pages
    where anonymous_id is not null and user_id is not null
),

crm_links as (
    select
        'contact_id' as identifier_type,
        contact_id as identifier_value,
        'email' as linked_type,
        email as linked_value,
        updated_at as linked_at,
        'contacts' as link_source
    from contacts
    where email is not null
    union all
    select
        'contact_id' as identifier_type,
        contact_id as identifier_value,
        'phone' as linked_type,
        phone as linked_value,
        updated_at as linked_at,
        'contacts' as link_source
    from contacts
    where phone is not null
    union all
    select
        'contact_id' as identifier_type,
        contact_id as identifier_value,
        'email' as linked_type,
        email as linked_value,
        ordered_at as linked_at,
        'orders' as link_source
    from orders
    where contact_id is not null and email is not null
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        'email' as linked_type,
        email as linked_value,
        ordered_at as linked_at,
        'orders' as link_source
    from orders
    where user_id is not null and email is not null
    union all
    select
        'contact_id' as identifier_type,
        contact_id as identifier_value,
        'user_id' as linked_type,
        user_id as linked_value,
        ordered_at as linked_at,
        'orders' as link_source
    from orders
    where contact_id is not null and user_id is not null
    union all
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        'email' as linked_type,
        email as linked_value,
        answered_at as linked_at,
        'survey_responses' as link_source
    from survey_responses
    where user_id is not null and email is not null
),

all_links as (
    select * from identify_links
    union all
    select * from event_links
    union all
    select * from crm_links
),

final as (
    select
        identifier_type,
        identifier_value,
        linked_type,
        linked_value,
        min(linked_at) as first_linked_at,
        max(linked_at) as last_linked_at,
        count(*) as times_linked
    from all_links
    group by identifier_type, identifier_value, linked_type, linked_value
)

select * from final
