-- Per person and survey question, the person's latest answer given up to the end of the as-of date.
with

responses as (
    select * from {{ ref('int_survey_responses_mapped_to_persons') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

ranked_responses as (
    select
        responses.*,
        count(*) over (partition by responses.person_id, responses.question_id) as answers_given,
        row_number() over (
            partition by responses.person_id, responses.question_id
            order by responses.answered_at desc, responses.response_id desc
        ) as recency_rank
    from responses
    inner join as_of on responses.answered_at < as_of.as_of_ends_at
    where responses.person_id is not null
),

final as (
    select
        person_id,
        question_id,
        survey_id,
        answer,
        answer_score,
        answered_at,
        answers_given
    from ranked_responses
    where recency_rank = 1
)

select * from final
