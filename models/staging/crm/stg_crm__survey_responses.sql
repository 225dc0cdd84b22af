with

base as (
    select * from {{ ref('base_crm__survey_responses') }}
),

final as (
    select
        response_id,
        survey_id,
        user_id,
        email,
        question_id,
        question_text,
        answer,
        answered_at
    from base
    where row_disposition = 'clean'
)

select * from final
