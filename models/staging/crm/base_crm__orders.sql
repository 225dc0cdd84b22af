{{ config(
    meta={
        'erasure': {'identifiers': [["'contact_id'", 'contact_id'], ["'user_id'", 'user_id'], ["'email'", 'email']]},
    },
    materialized='table',
) }}

{%- set has_invalid_amount = 'total is null'
    ~ ' or (subtotal_raw is not null and subtotal is null)'
    ~ ' or (discount_amount_raw is not null and discount_amount is null)'
    ~ ' or (shipping_amount_raw is not null and shipping_amount is null)'
    ~ ' or (tax_amount_raw is not null and tax_amount is null)' -%}
{%- set invalid_amount_value = "case when total is null then 'total=' || coalesce(total_raw, 'null')"
    ~ " when subtotal is null then 'subtotal=' || subtotal_raw"
    ~ " when discount_amount is null then 'discount_amount=' || discount_amount_raw"
    ~ " when shipping_amount is null then 'shipping_amount=' || shipping_amount_raw"
    ~ " when tax_amount is null then 'tax_amount=' || tax_amount_raw end" -%}

with

{{ audience.raw_rows_kept('crm', 'orders') }},

known_contacts as (
    select distinct {{ audience.clean_identifier('contact_id') }} as contact_id
    from {{ audience.raw_source('crm', 'contacts') }}
),

currencies as (
    select currency_code from {{ ref('currencies') }}
),

order_items as (
    select * from {{ ref('base_crm__order_items') }}
),

items_per_order as (
    -- the order's staged items; rejected items are in the order items quarantine
    select
        order_id,
        count(case when row_disposition = 'clean' then 1 end) as item_count,
        cast(
            sum(case when row_disposition = 'clean' then line_amount end) as {{ dbt.type_numeric() }}
        ) as items_subtotal,
        count(case when row_disposition = 'rejected' then 1 end) as rejected_item_count
    from order_items
    where order_id is not null
    group by order_id
),

renamed as (
    select
        {{ audience.invalid_encoding('source') }} as has_invalid_encoding,
        {{ audience.clean_identifier('source.order_id') }} as order_id,
        {{ audience.clean_identifier('contact_id') }} as contact_id,
        {{ audience.clean_identifier('user_id') }} as user_id,
        {{ audience.clean_text('email') }} as email_raw,
        {{ audience.normalize_email('email') }} as email_normalized,
        {{ audience.to_utc_timestamp(audience.clean_text('ordered_at')) }} as ordered_at,
        source.ordered_at as ordered_at_raw,
        lower({{ audience.clean_text('status') }}) as order_status,
        {{ audience.clean_text('subtotal') }} as subtotal_raw,
        {{ audience.parse_amount('subtotal') }} as subtotal,
        {{ audience.clean_text('discount_amount') }} as discount_amount_raw,
        {{ audience.parse_amount('discount_amount') }} as discount_amount,
        {{ audience.clean_text('shipping_amount') }} as shipping_amount_raw,
        {{ audience.parse_amount('shipping_amount') }} as shipping_amount,
        {{ audience.clean_text('tax_amount') }} as tax_amount_raw,
        {{ audience.parse_amount('tax_amount') }} as tax_amount,
        {{ audience.clean_text('total') }} as total_raw,
        {{ audience.parse_amount('total') }} as total,
        upper({{ audience.clean_text('currency') }}) as currency_code,
        source.currency as currency_raw,
        {{ audience.clean_text('discount_code') }} as discount_code,
        {{ audience.to_utc_timestamp(audience.clean_text('updated_at')) }} as updated_at
    from source
),

items_checked as (
    -- an order whose items do not add up to its subtotal (var order_items_tolerance), or that has
    -- no items; orders with a rejected item are not checked
    select
        renamed.*,
        coalesce(items_per_order.item_count, 0) as item_count,
        items_per_order.items_subtotal,
        coalesce(items_per_order.rejected_item_count, 0) = 0
        and (
            coalesce(items_per_order.item_count, 0) = 0
            or coalesce(
                abs(items_per_order.items_subtotal - renamed.subtotal) > {{ var('order_items_tolerance') }}, false
            )
        ) as has_inconsistent_items
    from renamed
    left join items_per_order on renamed.order_id = items_per_order.order_id
),

validated as (
    select
        *,
        email_raw is not null and not {{ audience.is_valid_email('email_normalized') }} as has_invalid_email
    from items_checked
),

{{ audience.classify_rows(
    from_cte='validated',
    checks=[
        {'reason': 'missing_key', 'when': 'order_id is null'},
        {'reason': 'invalid_timestamp', 'when': 'ordered_at is null', 'value': 'ordered_at_raw'},
        {'reason': 'unknown_status',
         'when': "order_status is null or order_status not in ('completed', 'pending', 'cancelled', 'refunded')",
         'value': 'order_status'},
        {'reason': 'unknown_currency',
         'when': 'currency_code is null or currency_code not in (select currencies.currency_code from currencies)',
         'value': 'currency_raw'},
        {'reason': 'invalid_amount', 'when': has_invalid_amount,
         'value': 'coalesce(' ~ invalid_amount_value ~ ', total_raw)'},
        {'reason': 'unknown_contact_id',
         'when': 'contact_id is not null and contact_id not in '
                 ~ '(select known_contacts.contact_id from known_contacts where known_contacts.contact_id is not null)',
         'value': 'contact_id'},
    ],
    key='order_id',
    order_by='updated_at desc nulls last, order_status, total_raw',
    duplicate_reason='superseded_version',
) }},

final as (
    select
        order_id,
        contact_id,
        user_id,
        case when not has_invalid_email then email_normalized end as email,
        ordered_at,
        order_status,
        currency_code,
        subtotal,
        coalesce(discount_amount, 0) as discount_amount,
        coalesce(shipping_amount, 0) as shipping_amount,
        coalesce(tax_amount, 0) as tax_amount,
        total as order_total,
        discount_code,
        coalesce(discount_amount, 0) > 0 or discount_code is not null as has_discount,
        coalesce(updated_at, ordered_at) as updated_at,
        email_raw,
        has_invalid_email,
        item_count,
        items_subtotal,
        has_inconsistent_items,
        subtotal_raw,
        row_disposition,
        quarantine_reason,
        quarantine_value
    from classified
)

select * from final
