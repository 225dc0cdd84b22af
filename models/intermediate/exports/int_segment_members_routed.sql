{{ config(schema='pii') }}
-- Who may be sent where: one row per segment, destination and person for the current members of
-- exportable segments (dim_segments.is_exportable) that list the destination, leaving out
-- holdout members, people without consent for the destination's purpose, people who asked for
-- deletion and people with neither an email nor a phone. Carries each person's most recently
-- seen email and phone and the name and postal address of their latest CRM contact, so it lives
-- in the pii schema; the sync normalizes and hashes what each platform requires.
with

routes as (
    select * from {{ ref('int_segment_destinations_listed') }}
),

memberships as (
    select * from {{ ref('fct_segment_memberships') }}
    where not is_holdout
),

privacy as (
    select * from {{ ref('int_persons_privacy_status') }}
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
        routes.segment_name,
        routes.destination,
        memberships.person_id,
        contact_points.email,
        contact_points.phone,
        latest_contacts.first_name,
        latest_contacts.last_name,
        latest_contacts.postal_code,
        latest_contacts.country_code,
        routes.consent_purpose
    from routes
    inner join memberships on routes.segment_name = memberships.segment_name
    inner join privacy on memberships.person_id = privacy.person_id
    inner join contact_points on memberships.person_id = contact_points.person_id
    left join latest_contacts
        on memberships.person_id = latest_contacts.person_id and latest_contacts.recency_rank = 1
    where
        not privacy.is_deletion_requested
        and (
            (routes.consent_purpose = 'ads_personalization' and privacy.is_ads_personalization_consented)
            or (routes.consent_purpose = 'email_marketing' and privacy.is_email_marketing_consented)
        )
)

select * from final
