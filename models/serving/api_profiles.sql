-- One JSON document per person of dim_persons, as the lookup API returns it. Incremental: a run
-- rewrites the persons whose profile, segments or content changed (macro persons_to_rebuild).
{{ config(**audience.persons_to_rebuild_config('profile')) }}

with

-- what the document shows of each person (not when their profile was built)
profiles as (
    select
        person_id,
        lifecycle_stage,
        lifecycle_stage_since_date,
        rfm_segment,
        rfm_cell,
        rfm_recency_score,
        rfm_frequency_score,
        rfm_monetary_score,
        engagement_score,
        purchase_intent_score,
        churn_risk_band,
        probability_alive,
        predicted_clv_12_months,
        as_of_date
    from {{ ref('dim_persons') }}
),

memberships as (
    select
        person_id,
        segment_name,
        is_holdout
    from {{ ref('fct_segment_memberships') }}
),

personalization as (
    select
        person_id,
        placement,
        segment_name,
        is_default,
        headline,
        banner_image,
        offer_code,
        landing_page_path,
        email_template_id
    from {{ ref('fct_personalized_placements') }}
),

{{ audience.persons_to_rebuild(['profiles', 'memberships', 'personalization']) }},

segments_per_person as (
    select
        person_id,
        {{ audience.json_array_agg('segment_name', 'segment_name', 'not is_holdout') }} as segments,
        {{ audience.json_array_agg('segment_name', 'segment_name', 'is_holdout') }} as holdout_segments
    from memberships_to_rebuild
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
    from personalization_to_rebuild
    group by person_id
),

-- a rebuilt person no longer in dim_persons gets no document, and the post-hook deletes the row
final as (
    select
        persons_to_rebuild.person_id,
        case when profiles.person_id is not null then {{ audience.json_object({
            'person_id': 'profiles.person_id',
            'lifecycle_stage': 'profiles.lifecycle_stage',
            'lifecycle_stage_since_date': 'profiles.lifecycle_stage_since_date',
            'scores': audience.json_value(audience.json_object({
                'rfm_segment': 'profiles.rfm_segment',
                'rfm_cell': 'profiles.rfm_cell',
                'rfm_recency_score': 'profiles.rfm_recency_score',
                'rfm_frequency_score': 'profiles.rfm_frequency_score',
                'rfm_monetary_score': 'profiles.rfm_monetary_score',
                'engagement_score': 'profiles.engagement_score',
                'purchase_intent_score': 'profiles.purchase_intent_score',
                'churn_risk_band': 'profiles.churn_risk_band',
                'probability_alive': 'profiles.probability_alive',
                'predicted_clv_12_months': 'profiles.predicted_clv_12_months',
            })),
            'segments': "coalesce(segments_per_person.segments, " ~ audience.json_value("'[]'") ~ ")",
            'holdout_segments': "coalesce(segments_per_person.holdout_segments, " ~ audience.json_value("'[]'") ~ ")",
            'personalization': 'content_per_person.placements',
            'as_of_date': 'profiles.as_of_date',
        }) }} end as profile,
        persons_to_rebuild.input_fingerprint
    from persons_to_rebuild
    left join profiles_to_rebuild as profiles on persons_to_rebuild.person_id = profiles.person_id
    left join segments_per_person on persons_to_rebuild.person_id = segments_per_person.person_id
    left join content_per_person on persons_to_rebuild.person_id = content_per_person.person_id
)

select * from final
