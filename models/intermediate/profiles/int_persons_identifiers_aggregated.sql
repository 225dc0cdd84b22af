-- Every person of identity stitching with how many identifiers of each type it holds, when it
-- was first and last seen in any source, and the salted hashes of its latest email and user id.
-- Incremental: a run rebuilds the persons whose identifiers changed, and every person when the
-- hashing salt changed (macro persons_to_rebuild).
{{ config(**audience.persons_to_rebuild_config('identifier_count')) }}

with

-- what is read of each identifier (not when or by which run it was resolved)
identities as (
    select
        person_id,
        identifier_type,
        identifier_key,
        first_seen_at,
        last_seen_at
    from {{ ref('int_identifiers_resolved') }}
),

-- the hash of nothing under the salt: it changes with the salt, and reveals nothing of it
salt as (
    select {{ audience.pii_hash("''") }} as salt_check
),

{{ audience.persons_to_rebuild(['identities'], 'salt') }},

latest_keys as (
    select
        person_id,
        identifier_type,
        identifier_key,
        row_number() over (
            partition by person_id, identifier_type order by last_seen_at desc, identifier_key desc
        ) as recency_rank
    from identities_to_rebuild
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
    from identities_to_rebuild
    group by person_id
),

final as (
    select
        persons_to_rebuild.person_id,
        counts.identifier_count,
        counts.anonymous_id_count,
        counts.user_id_count,
        counts.email_count,
        counts.phone_count,
        counts.contact_id_count,
        counts.is_known,
        counts.first_seen_at,
        counts.last_seen_at,
        hashed_keys.email_hash,
        hashed_keys.user_id_hash,
        persons_to_rebuild.input_fingerprint
    from persons_to_rebuild
    left join counts on persons_to_rebuild.person_id = counts.person_id
    left join hashed_keys on persons_to_rebuild.person_id = hashed_keys.person_id
)

select * from final
