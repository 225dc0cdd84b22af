{{ config(
    meta={'erasure': {'identifiers': [["'contact_id'", 'contact_id'], ["'email'", 'email']]}},
    materialized='table',
) }}

with

{{ audience.raw_rows_kept('crm', 'contacts') }},

countries as (
    select * from {{ ref('countries') }}
),

default_country as (
    select * from countries
    where country_code = '{{ var("default_phone_country") }}'
),

renamed as (
    select
        {{ audience.invalid_encoding('source') }} as has_invalid_encoding,
        {{ audience.clean_identifier('source.contact_id') }} as contact_id,
        {{ audience.clean_text('source.email') }} as email_raw,
        {{ audience.normalize_email('source.email') }} as email_normalized,
        {{ audience.clean_text('source.phone') }} as phone_raw,
        {{ audience.normalize_phone(
            'source.phone',
            'case when countries.country_code is null then default_country.calling_code else countries.calling_code end',
            'case when countries.country_code is null then default_country.trunk_prefix else countries.trunk_prefix end',
            'case when countries.country_code is null then default_country.national_number_length '
            ~ 'else countries.national_number_length end',
        ) }} as phone_normalized,
        {{ audience.clean_text('source.first_name') }} as first_name,
        {{ audience.clean_text('source.last_name') }} as last_name,
        {{ audience.clean_text('source.birth_date') }} as birth_date_raw,
        {{ audience.try_cast(audience.clean_text('source.birth_date'), 'date') }} as birth_date,
        {{ audience.normalize_gender('source.gender') }} as gender,
        {{ audience.clean_text('source.city') }} as city,
        {{ audience.clean_text('source.region') }} as region,
        upper({{ audience.clean_text('source.country') }}) as country_code,
        upper({{ audience.clean_text('source.postal_code') }}) as postal_code,
        lower({{ audience.clean_text('source.income_band') }}) as income_band,
        lower({{ audience.clean_text('source.occupation') }}) as occupation,
        {{ audience.to_utc_timestamp(audience.clean_text('source.created_at')) }} as created_at,
        {{ audience.to_utc_timestamp(audience.clean_text('source.updated_at')) }} as updated_at,
        source.created_at as created_at_raw
    from source
    left join countries on upper({{ audience.clean_text('source.country') }}) = countries.country_code
    left join default_country on true
),

birth_dates_checked as (
    -- ages as of the record (its last update): vars min_plausible_age / max_plausible_age
    select
        *,
        case
            when birth_date_raw is not null and birth_date is null then 'invalid_birth_date'
            when birth_date > cast(coalesce(updated_at, created_at) as date) then 'future_birth_date'
            when {{ audience.age_in_years('birth_date', 'cast(coalesce(updated_at, created_at) as date)') }}
                not between {{ var('min_plausible_age') }} and {{ var('max_plausible_age') }}
                then 'implausible_age'
        end as birth_date_issue
    from renamed
),

validated as (
    select
        *,
        email_raw is not null and not {{ audience.is_valid_email('email_normalized') }} as has_invalid_email,
        phone_raw is not null and phone_normalized is null as has_invalid_phone,
        -- more than formatting changed: trunk prefix or extension dropped, country code added, 00 -> +
        {{ audience.is_phone_repaired('phone_normalized', 'phone_raw') }} as is_phone_repaired,
        birth_date_issue is not null as has_invalid_birth_date
    from birth_dates_checked
),

{{ audience.classify_rows(
    from_cte='validated',
    checks=[
        {'reason': 'missing_key', 'when': 'contact_id is null'},
        {'reason': 'invalid_timestamp', 'when': 'created_at is null', 'value': 'created_at_raw'},
    ],
    key='contact_id',
    order_by='updated_at desc nulls last, created_at desc, email_raw, phone_raw',
    duplicate_reason='superseded_version',
) }},

final as (
    select
        contact_id,
        case when not has_invalid_email then email_normalized end as email,
        phone_normalized as phone,
        first_name,
        last_name,
        case when not has_invalid_birth_date then birth_date end as birth_date,
        gender,
        city,
        region,
        country_code,
        postal_code,
        income_band,
        occupation,
        created_at,
        coalesce(updated_at, created_at) as updated_at,
        email_raw,
        phone_raw,
        birth_date_raw,
        has_invalid_email,
        has_invalid_phone,
        coalesce(is_phone_repaired, false) as is_phone_repaired,
        has_invalid_birth_date,
        birth_date_issue,
        row_disposition,
        quarantine_reason,
        quarantine_value
    from classified
)

select * from final
