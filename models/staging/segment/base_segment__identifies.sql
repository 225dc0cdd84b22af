{#- Incremental, append-only: each raw row is loaded and classified once; why and how is
    described with the macro new_raw_rows. -#}
{{ config(
    meta={
        'erasure': {'identifiers': [["'anonymous_id'", 'anonymous_id'], ["'user_id'", 'user_id'], ["'email'", 'email']]},
        'retention': {'column': 'received_at', 'days_var': 'event_retention_days'},
    },
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
) }}

-- depends_on: {{ ref('bot_user_agents') }}

with

source as (
    select * from {{ audience.raw_source('segment', 'identifies') }}
),

{{ audience.new_raw_rows('source', 'segment', 'identifies', loaded_relation=this) }},

{{ audience.default_country_cte() }},

renamed as (
    select
        {{ audience.invalid_encoding('new_raw_rows') }} as has_invalid_encoding,
        {{ audience.clean_identifier('new_raw_rows.id') }} as message_id,
        {{ audience.clean_identifier('new_raw_rows.anonymous_id') }} as anonymous_id,
        {{ audience.clean_identifier('new_raw_rows.user_id') }} as user_id,
        {{ audience.clean_text('new_raw_rows.email') }} as email_raw,
        {{ audience.normalize_email('new_raw_rows.email') }} as email_normalized,
        {{ audience.clean_text('new_raw_rows.phone') }} as phone_raw,
        {{ audience.normalize_phone(
            'new_raw_rows.phone',
            'default_country.calling_code',
            'default_country.trunk_prefix',
            'default_country.national_number_length',
        ) }} as phone_normalized,
        {{ audience.clean_text('new_raw_rows.first_name') }} as first_name,
        {{ audience.clean_text('new_raw_rows.last_name') }} as last_name,
        {{ audience.to_utc_timestamp('new_raw_rows.' ~ adapter.quote('timestamp')) }} as identified_at,
        {{ audience.to_utc_timestamp('new_raw_rows.sent_at') }} as sent_at,
        {{ audience.to_utc_timestamp('new_raw_rows.received_at') }} as received_at,
        {{ audience.clean_text('new_raw_rows.context_ip') }} as ip_address,
        {{ audience.clean_text('new_raw_rows.context_user_agent') }} as user_agent,
        {{ audience.clean_text('new_raw_rows.context_library_name') }} as library_name,
        lower({{ audience.clean_text('new_raw_rows.context_device_type') }}) as device_type,
        new_raw_rows.raw_row_hash
    from new_raw_rows
    left join default_country on true
),

{{ audience.bots_flagged('renamed') }},

validated as (
    select
        *,
        email_raw is not null and not {{ audience.is_valid_email('email_normalized') }} as has_invalid_email,
        phone_raw is not null and phone_normalized is null as has_invalid_phone,
        {{ audience.is_phone_repaired('phone_normalized', 'phone_raw') }} as is_phone_repaired
    from flagged
),

{{ audience.classify_rows(
    from_cte='validated',
    checks=audience.event_row_checks('identified_at'),
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
        case when not has_invalid_email then email_normalized end as email,
        phone_normalized as phone,
        first_name,
        last_name,
        identified_at,
        sent_at,
        received_at,
        ip_address,
        user_agent,
        is_bot,
        library_name,
        device_type,
        email_raw,
        phone_raw,
        has_invalid_email,
        has_invalid_phone,
        coalesce(is_phone_repaired, false) as is_phone_repaired,
        row_disposition,
        quarantine_reason,
        quarantine_value,
        raw_row_hash
    from classified
)

select * from final
