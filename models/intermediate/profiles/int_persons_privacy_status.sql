-- Per person with a consent record or a deletion request, the current consent per purpose and
-- whether erasure was requested. A record's subject (subject_type + subject_value) is matched to
-- the person of that identifier; the latest record per person and purpose, among all of the
-- person's identifiers, is the current choice (on a tie a withdrawal wins). Both are read as they
-- stand now, whatever the as-of date, so a profile built for a past date never revives a consent
-- withdrawn since or hides a deletion request.

with

consents as (
    select * from {{ ref('stg_crm__consents') }}
),

deletion_requests as (
    select * from {{ ref('stg_crm__deletion_requests') }}
),

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

consents_with_persons as (
    select
        identities.person_id,
        consents.consent_id,
        consents.purpose,
        consents.is_granted,
        consents.recorded_at
    from consents
    inner join identities
        on identities.identifier_key = {{ audience.identifier_key('consents.subject_type', 'consents.subject_value') }}
),

ranked_consents as (
    select
        *,
        row_number() over (
            partition by person_id, purpose
            order by recorded_at desc, is_granted asc, consent_id desc
        ) as recency_rank
    from consents_with_persons
),

current_consents as (
    select
        person_id,
        max(case when purpose = 'email_marketing' and is_granted then 1 else 0 end) = 1
            as is_email_marketing_consented,
        max(case when purpose = 'email_marketing' then recorded_at end) as email_marketing_consent_recorded_at,
        max(case when purpose = 'ads_personalization' and is_granted then 1 else 0 end) = 1
            as is_ads_personalization_consented,
        max(case when purpose = 'ads_personalization' then recorded_at end)
            as ads_personalization_consent_recorded_at,
        max(case when purpose = 'analytics' and is_granted then 1 else 0 end) = 1 as is_analytics_consented,
        max(case when purpose = 'analytics' then recorded_at end) as analytics_consent_recorded_at
    from ranked_consents
    where recency_rank = 1
    group by person_id
),

deletion_requests_with_persons as (
    select
        identities.person_id,
        min(deletion_requests.requested_at) as deletion_requested_at
    from deletion_requests
    inner join identities
        on identities.identifier_key = {{ audience.identifier_key(
            'deletion_requests.subject_type', 'deletion_requests.subject_value'
        ) }}
    group by identities.person_id
),

final as (
    select
        coalesce(current_consents.person_id, deletion_requests_with_persons.person_id) as person_id,
        coalesce(current_consents.is_email_marketing_consented, false) as is_email_marketing_consented,
        current_consents.email_marketing_consent_recorded_at,
        coalesce(current_consents.is_ads_personalization_consented, false) as is_ads_personalization_consented,
        current_consents.ads_personalization_consent_recorded_at,
        coalesce(current_consents.is_analytics_consented, false) as is_analytics_consented,
        current_consents.analytics_consent_recorded_at,
        deletion_requests_with_persons.person_id is not null as is_deletion_requested,
        deletion_requests_with_persons.deletion_requested_at
    from current_consents
    full outer join deletion_requests_with_persons
        on current_consents.person_id = deletion_requests_with_persons.person_id
)

select * from final
