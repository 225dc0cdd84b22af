{{ config(
    meta={'erasure': {'identifiers': [["'user_id'", 'user_id'], ["'email'", 'email']]}},
    materialized='table',
) }}

with

source as (
    select * from {{ audience.raw_source('crm', 'survey_responses') }}
    -- erased persons' rows are left out (the reconciliation test counts them)
    where not {{ audience.is_excluded_raw_row('crm', 'survey_responses') }}
),

renamed as (
    select
        {{ audience.invalid_encoding('source') }} as has_invalid_encoding,
        {{ audience.clean_text('response_id') }} as response_id,
        lower({{ audience.clean_text('survey_id') }}) as survey_id,
        {{ audience.clean_text('user_id') }} as user_id,
        {{ audience.clean_text('email') }} as email_raw,
        {{ audience.normalize_email('email') }} as email_normalized,
        lower({{ audience.clean_text('question_id') }}) as question_id,
        {{ audience.clean_text('question') }} as question_text,
        {{ audience.clean_text('answer') }} as answer,
        {{ audience.to_utc_timestamp(audience.clean_text('answered_at')) }} as answered_at,
        source.answered_at as answered_at_raw
    from source
),

validated as (
    select
        *,
        email_raw is not null and not {{ audience.is_valid_email('email_normalized') }} as has_invalid_email
    from renamed
),

{{ audience.classify_rows(
    from_cte='validated',
    checks=[
        {'reason': 'missing_key', 'when': 'response_id is null'},
        {'reason': 'missing_identifier', 'when': 'user_id is null and (email_normalized is null or has_invalid_email)'},
        {'reason': 'missing_answer', 'when': 'question_id is null or answer is null'},
        {'reason': 'invalid_timestamp', 'when': 'answered_at is null', 'value': 'answered_at_raw'},
    ],
    key='response_id',
    order_by='answered_at desc, answer',
    duplicate_reason='duplicate_key',
) }},

final as (
    select
        response_id,
        survey_id,
        user_id,
        case when not has_invalid_email then email_normalized end as email,
        question_id,
        question_text,
        answer,
        answered_at,
        email_raw,
        has_invalid_email,
        row_disposition,
        quarantine_reason,
        quarantine_value
    from classified
)

select * from final
