-- Every person of identity stitching with how many identifiers of each type it holds, when it
-- was first and last seen in any source, and the salted hashes of its latest email and user id.
with

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

latest_keys as (
    select
        person_id,
        identifier_type,
        identifier_key,
        row_number() over (
            partition by person_id, identifier_type order by last_seen_at desc, identifier_key desc
        ) as recency_rank
    from identities
    where identifier_type in ('email', 'user_id')
),

hashed_keys as (
    select
        person_id,
        max(case when identifier_type = 'email' then {{ audience.pii_hash('identifier_key') }} end) as email_hash,
        max(case when identifier_type = 'user_id' then {{ audience.pii_hash('identifier_key') }} end) as user_id_hash
    from latest_keys
    where recency_rank = 1
    group by person_id
),

counts as (
    select
        person_id,
        count(*) as identifier_count,
        count(case when identifier_type = 'anonymous_id' then 1 end) as anonymous_id_count,
        count(case when identifier_type = 'user_id' then 1 end) as user_id_count,
        count(case when identifier_type = 'email' then 1 end) as email_count,
        count(case when identifier_type = 'phone' then 1 end) as phone_count,
        count(case when identifier_type = 'contact_id' then 1 end) as contact_id_count,
        count(case when identifier_type in ('email', 'user_id') then 1 end) > 0 as is_known,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from identities
    group by person_id
),

final as (
    select
        counts.*,
        hashed_keys.email_hash,
        hashed_keys.user_id_hash
    from counts
    left join hashed_keys on counts.person_id = hashed_keys.person_id
)

select * from final
