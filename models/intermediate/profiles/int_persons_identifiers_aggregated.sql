-- Every person of identity stitching with how many identifiers of each type it holds and when it
-- was first and last seen in any source.
with

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

final as (
    select
        person_id,
        count(*) as identifier_count,
        sum(case when identifier_type = 'anonymous_id' then 1 else 0 end) as anonymous_id_count,
        sum(case when identifier_type = 'user_id' then 1 else 0 end) as user_id_count,
        sum(case when identifier_type = 'email' then 1 else 0 end) as email_count,
        sum(case when identifier_type = 'phone' then 1 else 0 end) as phone_count,
        sum(case when identifier_type = 'contact_id' then 1 else 0 end) as contact_id_count,
        sum(case when identifier_type in ('email', 'user_id') then 1 else 0 end) > 0 as is_known,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from identities
    group by person_id
)

select * from final
