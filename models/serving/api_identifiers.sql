with

identities as (
    select * from {{ ref('dim_identities') }}
),

final as (
    select
        {{ audience.pii_hash('identifier_key') }} as identifier_hash,
        identifier_type,
        person_id
    from identities
    where
        identifier_type in ('user_id', 'anonymous_id', 'email')
        and person_id is not null
)

select * from final
