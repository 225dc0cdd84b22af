{#- Incremental, append-only: each raw row is loaded and classified once; why and how is
    described with the macro new_raw_rows. -#}
{{ config(
    meta={
        'erasure': {'identifiers': [["'anonymous_id'", 'anonymous_id'], ["'user_id'", 'user_id']]},
        'retention': {'column': 'received_at', 'days_var': 'event_retention_days'},
    },
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
) }}

{%- set number = dbt.type_numeric() -%}
{%- set has_invalid_amount = '(price_raw is not null and price is null)'
    ~ ' or (cart_value_raw is not null and cart_value is null)'
    ~ ' or (revenue_raw is not null and revenue is null)' -%}

with

source as (
    select * from {{ audience.raw_source('segment', 'tracks') }}
    -- erased persons' rows and events past retention are left out (the reconciliation test counts them)
    where not {{ audience.is_excluded_raw_row('segment', 'tracks') }}
),

{{ audience.new_raw_rows('source', 'segment', 'tracks', loaded_relation=this) }},

tracking_plan as (
    select event_name from {{ ref('tracking_plan') }}
),

renamed as (
    select
        {{ audience.invalid_encoding() }} as has_invalid_encoding,
        {{ audience.clean_text('id') }} as message_id,
        {{ audience.clean_text('anonymous_id') }} as anonymous_id,
        {{ audience.clean_text('user_id') }} as user_id,
        coalesce({{ audience.clean_text('event_text') }}, {{ audience.clean_text('event') }}) as event_name,
        {{ audience.to_utc_timestamp('"timestamp"') }} as event_at,
        {{ audience.to_utc_timestamp('sent_at') }} as sent_at,
        {{ audience.to_utc_timestamp('received_at') }} as received_at,
        {{ audience.clean_text('properties') }} as properties_raw,
        case when {{ audience.is_json_object('properties') }} then properties end as properties,
        {{ audience.clean_text('context_ip') }} as ip_address,
        {{ audience.clean_text('context_user_agent') }} as user_agent,
        {{ audience.clean_text('context_locale') }} as locale_code,
        {{ audience.clean_text('context_library_name') }} as library_name,
        lower({{ audience.clean_text('context_device_type') }}) as device_type,
        {{ audience.clean_text('context_os_name') }} as os_name,
        {{ audience.clean_text('context_page_url') }} as page_url,
        {{ audience.clean_text('context_page_path') }} as page_path,
        {{ audience.clean_text('context_page_title') }} as page_title,
        {{ audience.clean_text('context_page_referrer') }} as page_referrer,
        upper({{ audience.clean_text('context_location_country') }}) as country_code,
        {{ audience.clean_text('context_location_region') }} as region,
        {{ audience.clean_text('context_location_city') }} as city,
        lower({{ audience.clean_text('context_campaign_source') }}) as utm_source,
        lower({{ audience.clean_text('context_campaign_medium') }}) as utm_medium,
        {{ audience.clean_text('context_campaign_name') }} as utm_campaign,
        {{ audience.clean_text('context_campaign_content') }} as utm_content,
        {{ audience.clean_text('context_campaign_term') }} as utm_term,
        raw_row_hash
    from new_raw_rows
),

with_properties as (
    select
        *,
        {{ audience.json_extract_text('properties', 'product_id') }} as product_id,
        {{ audience.json_extract_text('properties', 'category') }} as product_category,
        {{ audience.json_extract_text('properties', 'price') }} as price_raw,
        {{ audience.parse_amount(audience.json_extract_text('properties', 'price')) }} as price,
        {{ audience.json_extract_text('properties', 'cart_value') }} as cart_value_raw,
        {{ audience.parse_amount(audience.json_extract_text('properties', 'cart_value')) }} as cart_value,
        {{ audience.json_extract_text('properties', 'revenue') }} as revenue_raw,
        {{ audience.parse_amount(audience.json_extract_text('properties', 'revenue')) }} as revenue,
        {{ audience.try_cast(audience.json_extract_text('properties', 'quantity'), dbt.type_int()) }} as quantity,
        {{ audience.json_extract_text('properties', 'order_id') }} as order_id,
        upper({{ audience.json_extract_text('properties', 'currency') }}) as currency_code,
        {{ audience.try_cast(audience.json_extract_text('properties', 'percent_watched'), number) }} as percent_watched,
        {{ audience.try_cast(audience.json_extract_text('properties', 'scroll_depth'), number) }} as scroll_depth,
        {{ audience.json_extract_text('properties', 'query') }} as search_query,
        {{ audience.json_extract_text('properties', 'campaign_id') }} as campaign_id,
        {{ audience.json_extract_text('properties', 'video_id') }} as video_id,
        {{ audience.try_cast(audience.json_extract_text('properties', 'rating'), dbt.type_int()) }} as rating
    from renamed
),

{{ audience.classify_rows(
    from_cte='with_properties',
    checks=[
        {'reason': 'missing_message_id', 'when': 'message_id is null'},
        {'reason': 'missing_identifier', 'when': 'anonymous_id is null and user_id is null'},
        {'reason': 'invalid_timestamp', 'when': 'event_at is null or received_at is null'},
        {'reason': 'timestamp_out_of_range',
         'when': audience.is_event_time_out_of_range('event_at', 'received_at'),
         'value': 'event_at'},
        {'reason': 'malformed_properties',
         'when': 'properties_raw is not null and properties is null',
         'value': 'properties_raw'},
        {'reason': 'unknown_event_name',
         'when': 'event_name is null or event_name not in (select tracking_plan.event_name from tracking_plan)',
         'value': 'event_name'},
        {'reason': 'invalid_amount', 'when': has_invalid_amount, 'value': 'properties_raw'},
    ],
    key='message_id',
    order_by='received_at, sent_at, event_at',
    duplicate_reason='duplicate_message_id',
    loaded_relation=this,
) }},

final as (
    select
        message_id,
        anonymous_id,
        user_id,
        event_name,
        event_at,
        sent_at,
        received_at,
        {{ audience.is_late_arriving('event_at', 'received_at') }} as is_late_arriving,
        properties,
        product_id,
        product_category,
        price,
        cart_value,
        revenue,
        quantity,
        order_id,
        currency_code,
        percent_watched,
        scroll_depth,
        search_query,
        campaign_id,
        video_id,
        rating,
        ip_address,
        user_agent,
        locale_code,
        library_name,
        device_type,
        os_name,
        page_url,
        page_path,
        page_title,
        page_referrer,
        country_code,
        region,
        city,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        row_disposition,
        quarantine_reason,
        quarantine_value,
        raw_row_hash
    from classified
)

select * from final
