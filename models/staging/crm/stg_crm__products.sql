with

base as (
    select * from {{ ref('base_crm__products') }}
),

final as (
    select
        product_id,
        product_name,
        product_category,
        brand,
        list_price,
        is_eco_friendly
    from base
    where row_disposition = 'clean'
)

select * from final
