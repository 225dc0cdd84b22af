-- Per person and survey question, the person's latest answer given up to the end of the as-of date.
-- A respondent is named by user_id and/or email: the user_id's person is used when identity
-- stitching knows it, else the email's.
with

responses as (
    select * from {{ ref('stg_crm__survey_responses') }}
),

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

as_of as (
    select * from {{ ref('int_profiles_as_of_date') }}
),

responses_with_persons as (
    select
        responses.*,
        coalesce(user_identities.person_id, email_identities.person_id) as person_id
    from responses
    inner join as_of on responses.answered_at < as_of.as_of_ends_at
    left join identities as user_identities
        on user_identities.identifier_key = {{ audience.identifier_key("'user_id'", 'responses.user_id') }}
    left join identities as email_identities
        on email_identities.identifier_key = {{ audience.identifier_key("'email'", 'responses.email') }}
),

ranked_responses as (
    select
        *,
        count(*) over (partition by person_id, question_id) as answers_given,
        row_number() over (
            partition by person_id, question_id
            order by answered_at desc, response_id desc
        ) as recency_rank
    from responses_with_persons
    where person_id is not null
),

final as (
    select
        person_id,
        question_id,
        survey_id,
        lower(answer) as answer,
        case
            when
                {{ audience.regex_full_match('answer', "'[0-9]{1,2}'") }}
                and {{ audience.try_cast('answer', dbt.type_int()) }} <= 10
                then {{ audience.try_cast('answer', dbt.type_int()) }}
        end as answer_score,
        answered_at,
        answers_given
    from ranked_responses
    where recency_rank = 1
)

select * from final
