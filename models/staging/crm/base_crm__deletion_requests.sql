{{ config(meta={'erasure': {'identifiers': [['subject_type', 'subject_value']]}}, materialized='table') }}

with

{{ audience.raw_rows_kept('crm', 'deletion_requests') }},

{{ audience.default_country_cte() }},

renamed as (
    select
        {{ audience.invalid_encoding('source') }} as has_invalid_encoding,
        {{ audience.clean_identifier('source.request_id') }} as request_id,
        {{ audience.subject_columns('source') }},
        {{ audience.to_utc_timestamp(audience.clean_text('source.requested_at')) }} as requested_at,
        source.requested_at as requested_at_raw
    from source
    left join default_country on true
),

{{ audience.classify_rows(
    from_cte='renamed',
    checks=[
        {'reason': 'missing_key', 'when': 'request_id is null'},
        {'reason': 'unknown_subject_type',
         'when': "subject_type is null or subject_type not in ('email', 'phone', 'user_id', 'anonymous_id')",
         'value': 'subject_type'},
        {'reason': 'missing_identifier', 'when': 'subject_value is null'},
        {'reason': 'invalid_timestamp', 'when': 'requested_at is null', 'value': 'requested_at_raw'},
    ],
    key='request_id, subject_type, subject_value',
    order_by='requested_at',
    duplicate_reason='duplicate_key',
) }},

final as (
    select
        request_id,
        subject_type,
        subject_value,
        requested_at,
        row_disposition,
        quarantine_reason,
        quarantine_value
    from classified
)

select * from final
