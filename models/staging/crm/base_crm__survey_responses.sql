{{ config(
    meta={'erasure': {'identifiers': [["'user_id'", 'user_id'], ["'email'", 'email']]}},
    materialized='table',
) }}

with

{{ audience.raw_rows_kept('crm', 'survey_responses') }},

questions as (
    select * from {{ ref('survey_questions') }}
),

renamed as (
    select
        {{ audience.invalid_encoding('source') }} as has_invalid_encoding,
        {{ audience.clean_identifier('response_id') }} as response_id,
        lower({{ audience.clean_identifier('survey_id') }}) as survey_id,
        {{ audience.clean_identifier('user_id') }} as user_id,
        {{ audience.clean_text('email') }} as email_raw,
        {{ audience.normalize_email('email') }} as email_normalized,
        lower({{ audience.clean_identifier('question_id') }}) as question_id,
        {{ audience.clean_text('question') }} as question_text,
        {{ audience.clean_text('answer') }} as answer,
        {{ audience.to_utc_timestamp(audience.clean_text('answered_at')) }} as answered_at,
        source.answered_at as answered_at_raw
    from source
),

answers_checked as (
    -- the answer against its question in seeds/survey_questions.csv (choices compared lowercased)
    select
        renamed.*,
        questions.question_id is not null as is_known_question,
        coalesce(
            case questions.answer_type
                when 'integer'
                    then {{ audience.regex_full_match('renamed.answer', "'[0-9]{1,9}'") }}
                        and {{ audience.try_cast('renamed.answer', dbt.type_int()) }}
                        between questions.min_value and questions.max_value
                when 'choice'
                    then renamed.answer not like '%;%'
                        and {{ dbt.position(
                            "';' || lower(renamed.answer) || ';'", "';' || lower(questions.allowed_answers) || ';'"
                        ) }} > 0
                when 'text' then true
            end,
            false
        ) as is_allowed_answer
    from renamed
    left join questions on renamed.question_id = questions.question_id
),

validated as (
    select
        *,
        email_raw is not null and not {{ audience.is_valid_email('email_normalized') }} as has_invalid_email
    from answers_checked
),

{{ audience.classify_rows(
    from_cte='validated',
    checks=[
        {'reason': 'missing_key', 'when': 'response_id is null'},
        {'reason': 'missing_identifier', 'when': 'user_id is null and (email_normalized is null or has_invalid_email)'},
        {'reason': 'missing_answer', 'when': 'question_id is null or answer is null'},
        {'reason': 'unknown_question', 'when': 'not is_known_question', 'value': 'question_id'},
        {'reason': 'invalid_answer', 'when': 'not is_allowed_answer', 'value': 'answer'},
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
