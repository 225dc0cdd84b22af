-- pii_hash is a salted SHA-256: 64 lowercase hex characters, the same for the same input, different
-- for different inputs, and never the unsalted hash (which anyone could recompute from an email).
with

cases as (
    select * from (
        values
        ('email:jane@example.com'),
        ('email:john@example.com'),
        ('user_id:u1')
    ) as t (identifier_key)
),

hashed as (
    select
        identifier_key,
        {{ audience.pii_hash('identifier_key') }} as salted_hash,
        {{ audience.pii_hash('identifier_key') }} as salted_hash_again,
        sha256(identifier_key) as unsalted_hash
    from cases
),

problems as (
    select identifier_key from hashed
    where not {{ audience.regex_full_match('salted_hash', "'[0-9a-f]{64}'") }}
        or salted_hash != salted_hash_again
        or salted_hash = unsalted_hash
    union all
    select 'collision' from hashed
    having count(distinct salted_hash) != count(*)
)

select * from problems
