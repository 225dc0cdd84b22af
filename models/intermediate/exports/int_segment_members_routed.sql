{{ config(schema='pii') }}
-- Who may be sent where: one row per segment, destination and person for the current members of
-- exportable segments (dim_segments.is_exportable) that list the destination, leaving out
-- holdout members, people without consent for the destination's purpose, people who asked for
-- deletion and people with neither an email nor a phone. Carries each person's most recently
-- seen email and phone, so it lives in the pii schema; the export models hash what each
-- platform requires.
with

segments as (
    select * from {{ ref('dim_segments') }}
    where is_exportable
),

destinations as (
    select * from {{ ref('destinations') }}
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

routes as (
    select
        segments.segment_name,
        destinations.destination,
        destinations.consent_purpose
    from segments
    inner join destinations
        on ',' || segments.destinations || ',' like '%,' || destinations.destination || ',%'
),

final as (
    select
        routes.segment_name,
        routes.destination,
        memberships.person_id,
        contact_points.email,
        contact_points.phone,
        routes.consent_purpose
    from routes
    inner join memberships on routes.segment_name = memberships.segment_name
    inner join privacy on memberships.person_id = privacy.person_id
    inner join contact_points on memberships.person_id = contact_points.person_id
    where
        not privacy.is_deletion_requested
        and (
            (routes.consent_purpose = 'ads_personalization' and privacy.is_ads_personalization_consented)
            or (routes.consent_purpose = 'email_marketing' and privacy.is_email_marketing_consented)
        )
)

select * from final
