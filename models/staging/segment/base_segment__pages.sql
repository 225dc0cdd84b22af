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

-- depends_on: {{ ref('bot_user_agents') }}

with

source as (
    select * from {{ audience.raw_source('segment', 'pages') }}
    -- erased persons' rows and events past retention are left out (the reconciliation test counts them)
    where not {{ audience.is_excluded_raw_row('segment', 'pages') }}
),

{{ audience.new_raw_rows('source', 'segment', 'pages', loaded_relation=this) }},

renamed as (
    select
        {{ audience.invalid_encoding() }} as has_invalid_encoding,
        {{ audience.clean_identifier('id') }} as message_id,
        {{ audience.clean_identifier('anonymous_id') }} as anonymous_id,
        {{ audience.clean_identifier('user_id') }} as user_id,
        {{ audience.clean_text('name') }} as page_name,
        {{ audience.clean_text('url') }} as page_url,
        {{ audience.clean_text('path') }} as page_path,
        {{ audience.clean_text('title') }} as page_title,
        {{ audience.clean_text('referrer') }} as page_referrer,
        {{ audience.clean_text('search') }} as page_query_string,
        {{ audience.to_utc_timestamp('"timestamp"') }} as viewed_at,
        {{ audience.to_utc_timestamp('sent_at') }} as sent_at,
        {{ audience.to_utc_timestamp('received_at') }} as received_at,
        {{ audience.clean_text('context_ip') }} as ip_address,
        {{ audience.clean_text('context_user_agent') }} as user_agent,
        {{ audience.clean_text('context_locale') }} as locale_code,
        {{ audience.clean_text('context_library_name') }} as library_name,
        lower({{ audience.clean_text('context_device_type') }}) as device_type,
        {{ audience.clean_text('context_os_name') }} as os_name,
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

{{ audience.user_agents_classified('renamed') }},

flagged as (
    select
        renamed.*,
        coalesce(user_agents_classified.is_bot, false) as is_bot
    from renamed
    left join user_agents_classified on renamed.user_agent = user_agents_classified.user_agent
),

{{ audience.classify_rows(
    from_cte='flagged',
    checks=[
        {'reason': 'missing_message_id', 'when': 'message_id is null'},
        {'reason': 'missing_identifier', 'when': 'anonymous_id is null and user_id is null'},
        {'reason': 'invalid_timestamp', 'when': 'viewed_at is null or received_at is null'},
        {'reason': 'timestamp_out_of_range',
         'when': audience.is_event_time_out_of_range('viewed_at', 'received_at'),
         'value': 'viewed_at'},
    ],
    key='message_id',
    order_by='received_at, sent_at',
    duplicate_reason='duplicate_message_id',
    loaded_relation=this,
) }},

final as (
    select
        message_id,
        anonymous_id,
        user_id,
        page_name,
        page_url,
        page_path,
        page_title,
        page_referrer,
        page_query_string,
        viewed_at,
        sent_at,
        received_at,
        {{ audience.is_late_arriving('viewed_at', 'received_at') }} as is_late_arriving,
        ip_address,
        user_agent,
        is_bot,
        locale_code,
        library_name,
        device_type,
        os_name,
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
