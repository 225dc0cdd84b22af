-- One row per person: who they are (pseudonymously), where and how they visit, what they do,
-- buy and care about, and what they consented to, as of int_persons_profiled. Only
-- pseudonymous, aggregated or city-level values: no identifier values, contact details, names,
-- birth dates, IP addresses or postal codes.
{%- set int = dbt.type_bigint() %}
{%- set number = dbt.type_numeric() %}

with

persons as (
    select * from {{ ref('int_persons_identifiers_aggregated') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

demographics as (
    select * from {{ ref('int_persons_demographics_derived') }}
),

session_summaries as (
    select * from {{ ref('int_persons_sessions_aggregated') }}
),

event_summaries as (
    select * from {{ ref('int_persons_events_aggregated') }}
),

categories as (
    select * from {{ ref('int_persons_categories_aggregated') }}
),

carts as (
    select * from {{ ref('int_carts_checked_for_abandonment') }}
),

order_summaries as (
    select * from {{ ref('int_persons_orders_aggregated') }}
),

survey_answers as (
    select * from {{ ref('int_persons_survey_answers_pivoted') }}
),

psychographic_tags as (
    select * from {{ ref('int_persons_psychographics_tagged') }}
),

privacy as (
    select * from {{ ref('int_persons_privacy_evaluated') }}
),

rfm_scores as (
    select * from {{ ref('int_persons_rfm_scored') }}
),

engagement as (
    select * from {{ ref('int_persons_engagement_scored') }}
),

purchase_intent as (
    select * from {{ ref('int_persons_purchase_intent_scored') }}
),

churn_risk as (
    select * from {{ ref('int_persons_churn_risk_scored') }}
),

lifetime_values as (
    select * from {{ ref('int_persons_clv_predicted') }}
),

lifecycle_periods as (
    select * from {{ ref('fct_lifecycle_stage_periods') }}
),

top_viewed_categories as (
    select * from categories
    where view_rank = 1
),

top_purchased_categories as (
    select * from categories
    where purchase_rank = 1
),

cart_summaries as (
    select
        person_id,
        count(*) as carts,
        count(case when is_abandoned then 1 end) as cart_abandonments
    from carts
    group by person_id
),

nps_answers as (
    select * from survey_answers
    where question_id = 'nps'
),

current_lifecycle_stages as (
    select * from lifecycle_periods
    where is_current
),

final as (
    select
        -- identity
        persons.person_id,
        cast(persons.identifier_count as {{ int }}) as identifier_count,
        cast(persons.anonymous_id_count as {{ int }}) as anonymous_id_count,
        cast(persons.user_id_count as {{ int }}) as user_id_count,
        cast(persons.email_count as {{ int }}) as email_count,
        cast(persons.phone_count as {{ int }}) as phone_count,
        cast(persons.contact_id_count as {{ int }}) as contact_id_count,
        persons.is_known,
        persons.email_hash,
        persons.user_id_hash,
        persons.first_seen_at,
        persons.last_seen_at,

        -- demographic
        cast(demographics.age as {{ int }}) as age,
        demographics.age_band,
        demographics.gender,
        demographics.city,
        demographics.region,
        demographics.country_code,
        demographics.income_band,
        demographics.occupation,

        -- contextual
        session_summaries.primary_device_type,
        session_summaries.last_device_type,
        session_summaries.last_country_code,
        session_summaries.last_city,
        session_summaries.preferred_daypart,
        session_summaries.preferred_weekday,
        session_summaries.top_channel,
        session_summaries.first_touch_utm_source,
        session_summaries.first_touch_utm_medium,
        session_summaries.first_touch_utm_campaign,
        session_summaries.last_touch_utm_source,
        session_summaries.last_touch_utm_medium,
        session_summaries.last_touch_utm_campaign,

        -- behavioural
        cast(coalesce(session_summaries.sessions, 0) as {{ int }}) as sessions,
        cast(coalesce(session_summaries.sessions_last_7_days, 0) as {{ int }}) as sessions_last_7_days,
        cast(coalesce(session_summaries.sessions_last_30_days, 0) as {{ int }}) as sessions_last_30_days,
        cast(coalesce(session_summaries.sessions_last_90_days, 0) as {{ int }}) as sessions_last_90_days,
        cast(coalesce(event_summaries.page_views, 0) as {{ int }}) as page_views,
        cast(coalesce(event_summaries.page_views_last_7_days, 0) as {{ int }}) as page_views_last_7_days,
        cast(coalesce(event_summaries.page_views_last_30_days, 0) as {{ int }}) as page_views_last_30_days,
        cast(coalesce(event_summaries.page_views_last_90_days, 0) as {{ int }}) as page_views_last_90_days,
        cast(coalesce(event_summaries.product_views, 0) as {{ int }}) as product_views,
        cast(coalesce(top_viewed_categories.categories_viewed, 0) as {{ int }}) as categories_viewed,
        top_viewed_categories.product_category as top_category_viewed,
        cast(coalesce(event_summaries.add_to_carts, 0) as {{ int }}) as add_to_carts,
        cast(coalesce(event_summaries.checkouts_started, 0) as {{ int }}) as checkouts_started,
        cast(coalesce(cart_summaries.carts, 0) as {{ int }}) as carts,
        cast(coalesce(cart_summaries.cart_abandonments, 0) as {{ int }}) as cart_abandonments,
        cast(coalesce(event_summaries.video_views, 0) as {{ int }}) as video_views,
        cast(event_summaries.video_completion_share as {{ number }}) as video_completion_share,
        cast(event_summaries.avg_scroll_depth as {{ number }}) as avg_scroll_depth,
        cast(coalesce(event_summaries.searches, 0) as {{ int }}) as searches,
        cast(coalesce(event_summaries.email_opens, 0) as {{ int }}) as email_opens,
        cast(coalesce(event_summaries.email_clicks, 0) as {{ int }}) as email_clicks,
        cast(coalesce(event_summaries.email_campaigns_seen, 0) as {{ int }}) as email_campaigns_seen,
        cast(event_summaries.email_open_rate as {{ number }}) as email_open_rate,
        cast(event_summaries.email_click_rate as {{ number }}) as email_click_rate,
        event_summaries.last_activity_at,
        cast(event_summaries.days_since_last_activity as {{ int }}) as days_since_last_activity,

        -- transactional
        cast(coalesce(order_summaries.orders, 0) as {{ int }}) as orders,
        cast(coalesce(order_summaries.revenue, 0) as {{ number }}) as revenue,
        cast(order_summaries.average_order_value as {{ number }}) as average_order_value,
        order_summaries.first_order_date,
        order_summaries.last_order_date,
        cast(order_summaries.days_since_last_order as {{ int }}) as days_since_last_order,
        cast(order_summaries.discount_order_share as {{ number }}) as discount_order_share,
        cast(order_summaries.eco_product_share as {{ number }}) as eco_product_share,
        cast(coalesce(top_purchased_categories.categories_purchased, 0) as {{ int }}) as categories_purchased,
        top_purchased_categories.product_category as top_category_purchased,

        -- psychographic
        coalesce(psychographic_tags.is_eco_conscious, false) as is_eco_conscious,
        coalesce(psychographic_tags.is_innovation_enthusiast, false) as is_innovation_enthusiast,
        coalesce(psychographic_tags.is_value_seeker, false) as is_value_seeker,
        coalesce(psychographic_tags.is_trend_seeker, false) as is_trend_seeker,
        coalesce(psychographic_tags.psychographic_tags, '') as psychographic_tags,
        cast(nps_answers.answer_score as {{ int }}) as nps_score,

        -- scores
        rfm_scores.recency_score as rfm_recency_score,
        rfm_scores.frequency_score as rfm_frequency_score,
        rfm_scores.monetary_score as rfm_monetary_score,
        rfm_scores.rfm_cell,
        rfm_scores.rfm_segment,
        cast(rfm_scores.frequency as {{ int }}) as rfm_window_orders,
        cast(rfm_scores.monetary as {{ number }}) as rfm_window_revenue,
        cast(coalesce(engagement.engagement_score, 0) as {{ int }}) as engagement_score,
        cast(coalesce(purchase_intent.purchase_intent_score, 0) as {{ int }}) as purchase_intent_score,
        coalesce(purchase_intent.is_high_purchase_intent, false) as is_high_purchase_intent,
        coalesce(purchase_intent.has_abandoned_checkout, false) as has_abandoned_checkout,
        coalesce(purchase_intent.has_viewed_product_repeatedly, false) as has_viewed_product_repeatedly,
        cast(churn_risk.purchase_cadence_days as {{ number }}) as purchase_cadence_days,
        cast(churn_risk.churn_risk_ratio as {{ number }}) as churn_risk_ratio,
        churn_risk.churn_risk_band,
        lifetime_values.probability_alive,
        lifetime_values.predicted_purchases_12_months,
        lifetime_values.predicted_clv_12_months,

        -- lifecycle
        current_lifecycle_stages.lifecycle_stage,
        current_lifecycle_stages.valid_from_date as lifecycle_stage_since_date,

        -- consent
        coalesce(privacy.is_email_marketing_consented, false) as is_email_marketing_consented,
        privacy.email_marketing_consent_recorded_at,
        coalesce(privacy.is_ads_personalization_consented, false) as is_ads_personalization_consented,
        privacy.ads_personalization_consent_recorded_at,
        coalesce(privacy.is_analytics_consented, false) as is_analytics_consented,
        privacy.analytics_consent_recorded_at,

        -- profile
        as_of.as_of_date,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as profile_updated_at
    from persons
    cross join as_of
    left join demographics on persons.person_id = demographics.person_id
    left join session_summaries on persons.person_id = session_summaries.person_id
    left join event_summaries on persons.person_id = event_summaries.person_id
    left join top_viewed_categories on persons.person_id = top_viewed_categories.person_id
    left join top_purchased_categories on persons.person_id = top_purchased_categories.person_id
    left join cart_summaries on persons.person_id = cart_summaries.person_id
    left join order_summaries on persons.person_id = order_summaries.person_id
    left join nps_answers on persons.person_id = nps_answers.person_id
    left join psychographic_tags on persons.person_id = psychographic_tags.person_id
    left join privacy on persons.person_id = privacy.person_id
    left join rfm_scores on persons.person_id = rfm_scores.person_id
    left join engagement on persons.person_id = engagement.person_id
    left join purchase_intent on persons.person_id = purchase_intent.person_id
    left join churn_risk on persons.person_id = churn_risk.person_id
    left join lifetime_values on persons.person_id = lifetime_values.person_id
    left join current_lifecycle_stages on persons.person_id = current_lifecycle_stages.person_id
)

select * from final
