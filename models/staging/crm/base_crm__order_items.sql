{{ config(materialized='table') }}

with

source as (
    select * from {{ audience.raw_source('crm', 'order_items') }}
),

known_orders as (
    select distinct {{ audience.clean_identifier('order_id') }} as order_id
    from {{ audience.raw_source('crm', 'orders') }}
),

renamed as (
    select
        {{ audience.invalid_encoding() }} as has_invalid_encoding,
        {{ audience.clean_identifier('order_item_id') }} as order_item_id,
        {{ audience.clean_identifier('order_id') }} as order_id,
        {{ audience.clean_identifier('product_id') }} as product_id,
        lower({{ audience.clean_text('category') }}) as product_category,
        {{ audience.clean_text('quantity') }} as quantity_raw,
        {{ audience.try_cast(audience.clean_text('quantity'), dbt.type_int()) }} as quantity,
        {{ audience.clean_text('unit_price') }} as unit_price_raw,
        {{ audience.parse_amount('unit_price') }} as unit_price
    from source
),

{{ audience.classify_rows(
    from_cte='renamed',
    checks=[
        {'reason': 'missing_key', 'when': 'order_item_id is null or order_id is null'},
        {'reason': 'unknown_order_id',
         'when': 'order_id not in (select known_orders.order_id from known_orders where known_orders.order_id is not null)',
         'value': 'order_id'},
        {'reason': 'invalid_quantity',
         'when': 'quantity is null or quantity <= 0 or not ' ~ audience.regex_full_match('quantity_raw', "'[0-9]+'"),
         'value': 'quantity_raw'},
        {'reason': 'invalid_price', 'when': 'unit_price is null', 'value': 'unit_price_raw'},
    ],
    key='order_item_id',
    order_by='order_id, product_id, quantity_raw, unit_price_raw',
    duplicate_reason='duplicate_key',
) }},

final as (
    select
        order_item_id,
        order_id,
        product_id,
        product_category,
        quantity,
        unit_price,
        cast(quantity * unit_price as {{ dbt.type_numeric() }}) as line_amount,
        row_disposition,
        quarantine_reason,
        quarantine_value
    from classified
)

select * from final
