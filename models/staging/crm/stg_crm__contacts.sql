with

base as (
    select * from {{ ref('base_crm__contacts') }}
),

final as (
    select
        contact_id,
        email,
        phone,
        first_name,
        last_name,
        birth_date,
        gender,
        city,
        region,
        country_code,
        postal_code,
        income_band,
        occupation,
        created_at,
        updated_at
    from base
    where row_disposition = 'clean'
)

select * from final
