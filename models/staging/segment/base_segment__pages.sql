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
        {{ audience.to_utc_timestamp(adapter.quote('timestamp')) }} as viewed_at,
        {{ audience.to_utc_timestamp('sent_at') }} as sent_at,
        {{ audience.to_utc_timestamp('received_at') }} as received_at,
        {{ audience.segment_context_columns('client') }},
        {{ audience.segment_context_columns('place') }},
        raw_row_hash
    from new_raw_rows
),

{{ audience.bots_flagged('renamed') }},

{{ audience.classify_rows(
    from_cte='flagged',
    checks=audience.event_row_checks('viewed_at'),
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
