-- Meta Custom Audiences: one row per segment and person to be in the segment's audience, with
-- the identifiers Meta matches on, normalized and SHA-256 hashed as Meta documents: the email
-- trimmed and lowercased, the phone as E.164 digits without the '+'.
with

routed as (
    select * from {{ ref('int_segment_members_routed') }}
    where destination = 'meta_ads'
),

final as (
    select
        segment_name,
        person_id,
        case when email is not null then {{ audience.sha256_hex('email') }} end as email_sha256,
        case when phone is not null then {{ audience.sha256_hex("replace(phone, '+', '')") }} end
            as phone_sha256
    from routed
)

select * from final
