{#-
    SQL boolean over the raw columns of a source table: true when the row carries an identifier on
    the erasure list (macro is_erased), or is an event received before the retention window (var
    event_retention_days, macro retention_cutoff). The base model of the table leaves such rows out
    and the table's reconciles_with_source test counts them as excluded, from this one definition. A
    deletion request goes too once carried out (its subject is on the list; the list keeps its
    request_id). Tables that name no person (products, order items) are never excluded, and
    nothing is in unit tests (no project graph), which test the classification of the rows given.
-#}
{% macro is_excluded_raw_row(source_name, table_name) %}
    {#- the deletion requests' phones are read with the default country's dialling rules -#}
    {%- set default_country = '' -%}
    {%- if table_name == 'deletion_requests' -%}
        {%- set default_country -%}
            (select countries.{column} from {{ ref('countries') }} as countries
            where countries.country_code = '{{ var("default_phone_country") }}')
        {%- endset -%}
    {%- endif -%}
    {%- if not execute or 'nodes' not in graph -%}
        {{ return('false') }}
    {%- endif -%}
    {%- set clean = audience.clean_identifier -%}
    {%- set email = ["'email'", audience.normalize_email('email')] -%}
    {%- set user_id = ["'user_id'", clean('user_id')] -%}
    {%- set devices = [["'anonymous_id'", clean('anonymous_id')], user_id] -%}
    {%- set subject_type = 'lower(' ~ audience.clean_text('subject_type') ~ ')' -%}
    {%- set identifiers = {
        'segment.tracks': devices,
        'segment.pages': devices,
        'segment.identifies': devices + [email],
        'crm.contacts': [["'contact_id'", clean('contact_id')], email],
        'crm.orders': [["'contact_id'", clean('contact_id')], user_id, email],
        'crm.survey_responses': [user_id, email],
        'crm.consents': [[
            subject_type,
            'case when ' ~ subject_type ~ " = 'email' then " ~ audience.normalize_email('subject_value')
            ~ ' else ' ~ clean('subject_value') ~ ' end',
        ]],
        'crm.deletion_requests': [[
            subject_type,
            audience.normalize_identifier(
                subject_type,
                'subject_value',
                default_country.replace('{column}', 'calling_code'),
                default_country.replace('{column}', 'trunk_prefix'),
                default_country.replace('{column}', 'national_number_length'),
            ),
        ]],
    }.get(source_name ~ '.' ~ table_name) -%}
    {%- set erased = audience.is_erased(identifiers) if identifiers else 'false' -%}
    {%- set cutoff = audience.retention_cutoff(var('event_retention_days')) -%}
    {%- if cutoff is none or source_name != 'segment' -%}
        {{ return(erased) }}
    {%- endif -%}
    {%- set received_at = audience.to_utc_timestamp(adapter.quote('received_at')) -%}
    {{ return('(' ~ erased ~ ' or coalesce(' ~ received_at ~ ' < ' ~ cutoff ~ ', false))') }}
{% endmacro %}
