-- Per person with a consent record, the current consent per purpose. A record's subject
-- (subject_type + subject_value) is matched to the person of that identifier; the latest record per
-- person and purpose, among all of the person's identifiers, is the current choice (on a tie a
-- withdrawal wins). Read as it stands now, whatever the as-of date, so a profile built for a past
-- date never revives a consent withdrawn since. (Persons who asked for deletion are not here: they
-- are erased, see int_identifiers_erased.)

with

consents as (
    select * from {{ ref('stg_crm__consents') }}
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

final as (
    select
        person_id,
        is_email_marketing_consented,
        email_marketing_consent_recorded_at,
        is_ads_personalization_consented,
        ads_personalization_consent_recorded_at,
        is_analytics_consented,
        analytics_consent_recorded_at
    from current_consents
)

select * from final
