-- Klaviyo lists: one row per segment and person to be on the segment's list, with the email and
-- phone (E.164) Klaviyo identifies profiles by. Only people with email_marketing consent.
with

routed as (
    select * from {{ ref('int_segment_members_routed') }}
    where destination = 'klaviyo'
),

final as (
    select
        segment_name,
        person_id,
        email,
        phone as phone_e164
    from routed
)

select * from final
