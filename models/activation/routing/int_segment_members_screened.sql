-- Every current member of every exportable segment against each destination the segment lists:
-- whether they are in the holdout and have consent for the destination's purpose (persons who
-- asked for deletion are already gone: int_identifiers_resolved leaves them out). The one place a
-- destination's consent purpose is matched with a person's consent; int_segment_members_routed
-- sends the members who pass, int_segment_destinations_counted counts why the others do not.
-- No PII.
with

routes as (
    select * from {{ ref('int_segment_destinations_listed') }}
),

memberships as (
    select * from {{ ref('fct_segment_memberships') }}
),

privacy as (
    select * from {{ ref('int_persons_privacy_evaluated') }}
),

screened as (
    select
        routes.segment_name,
        routes.destination,
        routes.consent_purpose,
        memberships.person_id,
        memberships.is_holdout,
        case routes.consent_purpose
            when 'ads_personalization' then coalesce(privacy.is_ads_personalization_consented, false)
            when 'email_marketing' then coalesce(privacy.is_email_marketing_consented, false)
            else false
        end as is_consented
    from routes
    inner join memberships on routes.segment_name = memberships.segment_name
    left join privacy on memberships.person_id = privacy.person_id
),

final as (
    select
        *,
        not is_holdout and is_consented as is_sendable
    from screened
)

select * from final
