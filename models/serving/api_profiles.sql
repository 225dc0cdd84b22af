with

users as (
    select * from {{ ref('dim_persons') }}
),

memberships as (
    select * from {{ ref('fct_segment_memberships') }}
),

personalization as (
    select * from {{ ref('fct_personalized_placements') }}
),

segments_per_person as (
    select
        person_id,
        {{ audience.json_array_agg('segment_name', 'segment_name', 'not is_holdout') }} as segments,
        {{ audience.json_array_agg('segment_name', 'segment_name', 'is_holdout') }} as holdout_segments
    from memberships
    group by person_id
),

content_per_person as (
    select
        person_id,
        {{ audience.json_object_agg('placement', audience.json_value(audience.json_object({
            'segment_name': 'segment_name',
            'is_default': 'is_default',
            'headline': 'headline',
            'banner_image': 'banner_image',
            'offer_code': 'offer_code',
            'landing_page_path': 'landing_page_path',
            'email_template_id': 'email_template_id',
        }))) }} as placements
    from personalization
    where person_id is not null
    group by person_id
),

final as (
    select
        users.person_id,
        {{ audience.json_object({
            'person_id': 'users.person_id',
            'lifecycle_stage': 'users.lifecycle_stage',
            'lifecycle_stage_since_date': 'users.lifecycle_stage_since_date',
            'scores': audience.json_value(audience.json_object({
                'rfm_segment': 'users.rfm_segment',
                'rfm_cell': 'users.rfm_cell',
                'rfm_recency_score': 'users.rfm_recency_score',
                'rfm_frequency_score': 'users.rfm_frequency_score',
                'rfm_monetary_score': 'users.rfm_monetary_score',
                'engagement_score': 'users.engagement_score',
                'purchase_intent_score': 'users.purchase_intent_score',
                'churn_risk_band': 'users.churn_risk_band',
                'probability_alive': 'users.probability_alive',
                'predicted_clv_12_months': 'users.predicted_clv_12_months',
            })),
            'segments': "coalesce(segments_per_person.segments, " ~ audience.json_value("'[]'") ~ ")",
            'holdout_segments': "coalesce(segments_per_person.holdout_segments, " ~ audience.json_value("'[]'") ~ ")",
            'personalization': 'content_per_person.placements',
            'as_of_date': 'users.as_of_date',
        }) }} as profile
    from users
    left join segments_per_person on users.person_id = segments_per_person.person_id
    left join content_per_person on users.person_id = content_per_person.person_id
)

select * from final
