{{ config(materialized='table') }}

with

source as (
    select * from {{ audience.raw_source('crm', 'products') }}
),

renamed as (
    select
        {{ audience.invalid_encoding() }} as has_invalid_encoding,
        {{ audience.clean_identifier('product_id') }} as product_id,
        {{ audience.clean_text('name') }} as product_name,
        lower({{ audience.clean_text('category') }}) as product_category,
        {{ audience.clean_text('brand') }} as brand,
        {{ audience.clean_text('price') }} as price_raw,
        {{ audience.parse_amount('price') }} as list_price,
        coalesce({{ audience.parse_boolean('is_eco_friendly') }}, false) as is_eco_friendly
    from source
),

{{ audience.classify_rows(
    from_cte='renamed',
    checks=[
        {'reason': 'missing_key', 'when': 'product_id is null'},
        {'reason': 'invalid_price', 'when': 'list_price is null', 'value': 'price_raw'},
    ],
    key='product_id',
    order_by='product_name, brand, price_raw',
    duplicate_reason='duplicate_key',
) }},

final as (
    select
        product_id,
        product_name,
        product_category,
        brand,
        list_price,
        is_eco_friendly,
        row_disposition,
        quarantine_reason,
        quarantine_value
    from classified
)

select * from final
