{{ config(meta={'erasure': {'identifiers': [['subject_type', 'subject_value']]}}, materialized='table') }}

with

{{ audience.raw_rows_kept('crm', 'consents') }},

{{ audience.default_country_cte() }},

renamed as (
    select
        {{ audience.invalid_encoding('source') }} as has_invalid_encoding,
        {{ audience.clean_identifier('source.consent_id') }} as consent_id,
        {{ audience.subject_columns('source') }},
        lower({{ audience.clean_text('source.purpose') }}) as purpose,
        lower({{ audience.clean_text('source.status') }}) as consent_status,
        {{ audience.to_utc_timestamp(audience.clean_text('source.recorded_at')) }} as recorded_at,
        source.recorded_at as recorded_at_raw,
        lower({{ audience.clean_text('source.source') }}) as consent_source
    from source
    left join default_country on true
),

{{ audience.classify_rows(
    from_cte='renamed',
    checks=[
        {'reason': 'missing_key', 'when': 'consent_id is null'},
        {'reason': 'unknown_subject_type',
         'when': "subject_type is null or subject_type not in ('email', 'user_id', 'contact_id', 'anonymous_id')",
         'value': 'subject_type'},
        {'reason': 'missing_identifier', 'when': 'subject_value is null'},
        {'reason': 'unknown_purpose',
         'when': "purpose is null or purpose not in ('analytics', 'email_marketing', 'ads_personalization')",
         'value': 'purpose'},
        {'reason': 'unknown_status',
         'when': "consent_status is null or consent_status not in ('granted', 'withdrawn')",
         'value': 'consent_status'},
        {'reason': 'invalid_timestamp', 'when': 'recorded_at is null', 'value': 'recorded_at_raw'},
    ],
    key='consent_id',
    order_by='recorded_at desc, consent_status, purpose',
    duplicate_reason='duplicate_key',
) }},

final as (
    select
        consent_id,
        subject_type,
        subject_value,
        purpose,
        consent_status = 'granted' as is_granted,
        recorded_at,
        consent_source,
        row_disposition,
        quarantine_reason,
        quarantine_value
    from classified
)

select * from final
