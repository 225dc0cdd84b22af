-- Survey responses with the person who gave them. A respondent is named by user_id and/or email:
-- the user_id's person is used when identity stitching knows it, else the email's.
with

responses as (
    select * from {{ ref('stg_crm__survey_responses') }}
),

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

responses_with_persons as (
    {{ audience.person_of_identifier('responses', ['user_id', 'email']) }}
),

final as (
    select
        response_id,
        person_id,
        survey_id,
        question_id,
        lower(answer) as answer,
        case
            when
                {{ audience.regex_full_match('answer', "'[0-9]{1,2}'") }}
                and {{ audience.try_cast('answer', dbt.type_int()) }} <= 10
                then {{ audience.try_cast('answer', dbt.type_int()) }}
        end as answer_score,
        answered_at
    from responses_with_persons
    -- no person: an erased person's answer, excluded by staging from the next run on
    where person_id is not null
)

select * from final
