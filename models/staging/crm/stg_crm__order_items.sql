with

base as (
    select * from {{ ref('base_crm__order_items') }}
),

final as (
    select
        order_item_id,
        order_id,
        product_id,
        product_category,
        quantity,
        unit_price,
        line_amount
    from base
    where row_disposition = 'clean'
)

select * from final
