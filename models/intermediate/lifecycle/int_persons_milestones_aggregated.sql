-- Per person, the dates lifecycle stages hinge on, besides orders: when the person was first seen
-- in any source, first known by an email or user id, and first advocated for the store (sent a
-- referral, submitted a review or answered NPS with at least var lifecycle_advocate_min_nps).
with

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

events as (
    select * from {{ ref('int_events_mapped_to_persons') }}
),

survey_responses as (
    select * from {{ ref('int_survey_responses_mapped_to_persons') }}
),

sightings as (
    select
        person_id,
        cast(min(first_seen_at) as date) as first_seen_date,
        cast(min(case when identifier_type in ('email', 'user_id') then first_seen_at end) as date)
            as known_since_date
    from identities
    group by person_id
),

advocacy as (
    select
        person_id,
        event_at as advocated_at
    from events
    where event_name in ('Referral Sent', 'Review Submitted')
    union all
    select
        person_id,
        answered_at as advocated_at
    from survey_responses
    where
        question_id = 'nps'
        and answer_score >= {{ var('lifecycle_advocate_min_nps') }}
        and person_id is not null
),

first_advocacy as (
    select
        person_id,
        cast(min(advocated_at) as date) as advocate_since_date
    from advocacy
    group by person_id
),

final as (
    select
        sightings.person_id,
        sightings.first_seen_date,
        sightings.known_since_date,
        first_advocacy.advocate_since_date
    from sightings
    left join first_advocacy on sightings.person_id = first_advocacy.person_id
)

select * from final
