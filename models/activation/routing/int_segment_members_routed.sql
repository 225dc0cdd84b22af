{{ config(schema='pii') }}
-- Who may be sent where: one row per segment, destination and person for the current members of
-- exportable segments (dim_segments.is_exportable) that list the destination, leaving out
-- holdout members, people without consent for the destination's purpose, people who asked for
-- deletion and people with neither an email nor a phone. Carries each person's most recently
-- seen email and phone and the name and postal address of their latest CRM contact, so it lives
-- in the pii schema; the sync normalizes and hashes what each platform requires.
with

screened as (
    select * from {{ ref('int_segment_members_screened') }}
    where is_sendable
),

identities as (
    select * from {{ ref('dim_identities') }}
    where identifier_type in ('email', 'phone')
),

contact_links as (
    select * from {{ ref('dim_identities') }}
    where identifier_type = 'contact_id'
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

latest_identifiers as (
    select
        person_id,
        identifier_type,
        identifier_value,
        row_number() over (
            partition by person_id, identifier_type
            order by last_seen_at desc, identifier_value asc
        ) as recency_rank
    from identities
),

contact_points as (
    select
        person_id,
        max(case when identifier_type = 'email' then identifier_value end) as email,
        max(case when identifier_type = 'phone' then identifier_value end) as phone
    from latest_identifiers
    where recency_rank = 1
    group by person_id
),

latest_contacts as (
    select
        contact_links.person_id,
        contacts.first_name,
        contacts.last_name,
        contacts.postal_code,
        contacts.country_code,
        row_number() over (
            partition by contact_links.person_id
            order by contacts.updated_at desc, contacts.contact_id asc
        ) as recency_rank
    from contact_links
    inner join contacts on contact_links.identifier_value = contacts.contact_id
),

final as (
    select
        screened.segment_name,
        screened.destination,
        screened.person_id,
        contact_points.email,
        contact_points.phone,
        latest_contacts.first_name,
        latest_contacts.last_name,
        latest_contacts.postal_code,
        latest_contacts.country_code,
        screened.consent_purpose
    from screened
    inner join contact_points on screened.person_id = contact_points.person_id
    left join latest_contacts
        on screened.person_id = latest_contacts.person_id and latest_contacts.recency_rank = 1
)

select * from final
