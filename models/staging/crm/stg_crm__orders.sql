with

base as (
    select * from {{ ref('base_crm__orders') }}
),

final as (
    select
        order_id,
        contact_id,
        user_id,
        email,
        ordered_at,
        order_status,
        currency_code,
        subtotal,
        discount_amount,
        shipping_amount,
        tax_amount,
        order_total,
        discount_code,
        has_discount,
        updated_at
    from base
    where row_disposition = 'clean'
)

select * from final
