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

{#- The typed columns staging keeps: column -> (property, SQL of its value from the property text) -#}
{%- set number = dbt.type_numeric() -%}
{%- set typed_columns = {
    'product_id': ('product_id', 'property__product_id'),
    'product_category': ('category', 'property__category'),
    'price': ('price', audience.try_cast('property__price', number)),
    'cart_value': ('cart_value', audience.try_cast('property__cart_value', number)),
    'revenue': ('revenue', audience.try_cast('property__revenue', number)),
    'quantity': ('quantity', audience.try_cast('property__quantity', dbt.type_int())),
    'order_id': ('order_id', 'property__order_id'),
    'currency_code': ('currency', 'upper(property__currency)'),
    'percent_watched': ('percent_watched', audience.try_cast('property__percent_watched', number)),
    'scroll_depth': ('scroll_depth', audience.try_cast('property__scroll_depth', number)),
    'search_query': ('query', 'property__query'),
    'campaign_id': ('campaign_id', 'property__campaign_id'),
    'video_id': ('video_id', 'property__video_id'),
    'rating': ('rating', audience.try_cast('property__rating', dbt.type_int())),
} -%}
{%- set plan_columns = audience.tracking_plan_columns(typed_columns) -%}
{%- set typed_column_names = typed_columns.keys() | list + ['nulled_properties'] -%}
{%- set leading_columns = ['message_id', 'anonymous_id', 'user_id', 'event_name', 'event_name_sent', 'event_at',
    'sent_at', 'received_at'] -%}
{%- set trailing_columns = ['ip_address', 'user_agent', 'is_bot', 'locale_code', 'library_name', 'device_type',
    'os_name', 'page_url', 'page_path', 'page_title', 'page_referrer', 'country_code', 'region', 'city', 'utm_source',
    'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] -%}
{#- what the checks read besides the kept columns, and the hash, kept last -#}
{%- set check_columns = ['raw_row_hash', 'has_invalid_encoding', 'properties_raw', 'failed_required_property',
    'failed_required_reason', 'failed_required_value'] -%}
{%- set checks = audience.event_row_checks('event_at') + [
    {'reason': 'malformed_properties',
     'when': 'properties_raw is not null and properties is null',
     'value': 'properties_raw'},
    {'reason': 'unknown_event_name', 'when': 'event_name is null', 'value': 'event_name_sent'},
] -%}
{%- for reason in ['required_property_missing', 'property_wrong_type', 'property_out_of_range',
    'property_not_allowed'] %}
    {%- do checks.append({'reason': reason, 'when': "failed_required_reason = '" ~ reason ~ "'",
        'value': 'failed_required_value', 'field': 'failed_required_property'}) %}
{%- endfor -%}

-- depends_on: {{ ref('tracking_plan_properties') }}
-- depends_on: {{ ref('currencies') }}

-- depends_on: {{ ref('bot_user_agents') }}

with

source as (
    select * from {{ audience.raw_source('segment', 'tracks') }}
),

{{ audience.new_raw_rows('source', 'segment', 'tracks', loaded_relation=this) }},

tracking_plan as (
    select event_name from {{ ref('tracking_plan') }}
),

renamed as (
    select
        {{ audience.invalid_encoding() }} as has_invalid_encoding,
        {{ audience.clean_identifier('id') }} as message_id,
        {{ audience.clean_identifier('anonymous_id') }} as anonymous_id,
        {{ audience.clean_identifier('user_id') }} as user_id,
        coalesce(
            {{ audience.clean_identifier('event_text') }}, {{ audience.clean_identifier('event') }}
        ) as event_name_sent,
        {{ audience.to_utc_timestamp(adapter.quote('timestamp')) }} as event_at,
        {{ audience.to_utc_timestamp('sent_at') }} as sent_at,
        {{ audience.to_utc_timestamp('received_at') }} as received_at,
        {{ audience.clean_text('properties') }} as properties_raw,
        case when {{ audience.is_json_object('properties') }} then properties end as properties,
        {{ audience.segment_context_columns('client') }},
        {{ audience.clean_text('context_page_url') }} as page_url,
        {{ audience.clean_text('context_page_path') }} as page_path,
        {{ audience.clean_text('context_page_title') }} as page_title,
        {{ audience.clean_text('context_page_referrer') }} as page_referrer,
        {{ audience.segment_context_columns('place') }},
        raw_row_hash
    from new_raw_rows
),

{{ audience.bots_flagged('renamed') }},

-- `product viewed`, `PRODUCT_VIEWED` and `Product  Viewed` all name the plan's `Product Viewed`
named as (
    select
        flagged.*,
        tracking_plan.event_name
    from flagged
    left join tracking_plan
        on
            {{ audience.event_name_key('flagged.event_name_sent') }}
            = {{ audience.event_name_key('tracking_plan.event_name') }}
),

properties_parsed as (
    select
        {{ plan_columns.parsed }}
    from named
),

with_properties as (
    select
        {{ plan_columns.extracted }}
    from properties_parsed
),

property_checks as (
    select
        {{ plan_columns.failures }}
    from with_properties
),

required_checks as (
    select
        {{ plan_columns.required }}
    from property_checks
),

-- Only the columns kept and those the checks read go on: classify_rows sorts whole rows by key.
typed as (
    select
        {{ (leading_columns + [audience.is_late_arriving('event_at', 'received_at') ~ ' as is_late_arriving',
            'properties', plan_columns.typed] + trailing_columns + check_columns) | join(',\n        ') }}
    from required_checks
),

{{ audience.classify_rows(
    from_cte='typed',
    checks=checks,
    key='message_id',
    order_by='received_at, sent_at, event_at',
    duplicate_reason='duplicate_message_id',
    loaded_relation=this,
) }},

final as (
    select
        {{ (leading_columns + ['is_late_arriving', 'properties'] + typed_column_names + trailing_columns
            + ['row_disposition', 'quarantine_reason', 'quarantine_value', 'quarantine_field', 'raw_row_hash'])
            | join(',\n        ') }}
    from classified
)

select * from final
