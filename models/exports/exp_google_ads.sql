-- Google Customer Match: one row per segment and person to be in the segment's list, with the
-- identifiers SHA-256 hashed as Google documents: the email trimmed and lowercased, with the dots
-- and +suffix of gmail.com / googlemail.com local parts removed; the phone in E.164 with '+'.
with

routed as (
    select * from {{ ref('int_segment_members_routed') }}
    where destination = 'google_ads'
),

final as (
    select
        segment_name,
        person_id,
        case
            when email is not null then {{ audience.sha256_hex(audience.google_normalized_email('email')) }}
        end as email_sha256,
        case when phone is not null then {{ audience.sha256_hex('phone') }} end as phone_sha256
    from routed
)

select * from final
