with

erased as (
    select * from {{ ref('int_identifiers_erased') }}
),

final as (
    select distinct identifier_hash
    from erased
    where identifier_hash is not null
)

select * from final
