{#-
    A view, not the folder's table: it only reshapes the stg event models, and as a table every
    incremental run of int_events_sessionized would first rewrite all events.
-#}
{{ config(materialized='view') }}

{%- set string = dbt.type_string() -%}
{%- set erasures = ref('int_identifiers_erased') -%}
{%- set number = dbt.type_numeric() -%}
{#- what a page view and a site track both carry, in this order -#}
{%- set site_columns = [
    'anonymous_id', 'user_id', 'device_type', 'os_name', 'locale_code', 'library_name',
    'country_code', 'region', 'city', 'page_url', 'page_path', 'page_title', 'page_referrer',
    'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term',
] -%}

with

pages as (
    select * from {{ ref('stg_segment__pages') }}
),

tracks as (
    select * from {{ ref('stg_segment__tracks') }}
),

-- Crawlers and scripts (is_bot, seed bot_user_agents) stay in staging but are no visits: left out
-- here, where site events enter sessions, person events, scores and segments.
human_pages as (
    select * from pages
    where not is_bot
),

human_tracks as (
    select * from tracks
    where not is_bot
),

tracking_plan as (
    select * from {{ ref('tracking_plan') }}
),

-- Email opens and clicks happen in the mail client: no site visit, so no session.
email_event_names as (
    select tracking_plan.event_name
    from tracking_plan
    where tracking_plan.event_category = 'email'
),

page_views as (
    select
        message_id,
        'page' as event_type,
        page_name as event_name,
        viewed_at as event_at,
        received_at,
        is_late_arriving,
        {%- for column in site_columns %}
            {{ column }},
        {%- endfor %}
        cast(null as {{ string }}) as product_id,
        cast(null as {{ string }}) as product_category,
        cast(null as {{ number }}) as price,
        cast(null as {{ dbt.type_int() }}) as quantity,
        cast(null as {{ number }}) as cart_value,
        cast(null as {{ string }}) as order_id,
        cast(null as {{ number }}) as revenue,
        cast(null as {{ string }}) as currency_code
    from human_pages
),

site_tracks as (
    select
        message_id,
        'track' as event_type,
        event_name,
        event_at,
        received_at,
        is_late_arriving,
        {%- for column in site_columns %}
            {{ column }},
        {%- endfor %}
        product_id,
        product_category,
        price,
        quantity,
        cart_value,
        order_id,
        revenue,
        currency_code
    from human_tracks
    where event_name not in (select email_event_names.event_name from email_event_names)
),

unioned as (
    select * from page_views
    union all
    select * from site_tracks
),

-- An erased person's events (anonymous or logged in) are left out from the run their request is
-- carried out in, so no session of a shared device is built with them. Only the erasures not
-- purged yet are tested: a purge deletes the staged events and staging leaves their raw rows out,
-- so without pending erasures no event is hashed.
{%- set pending = 'select erased.identifier_hash from ' ~ erasures ~ ' as erased where erased.purged_at is null' %}
final as (
    select * from unioned
    {%- if execute and 'nodes' in graph and load_relation(erasures) is not none
        and run_query('select count(*) from (' ~ pending ~ ') as pending').rows[0][0] > 0 %}
        where not {{ audience.is_erased(
            [["'anonymous_id'", 'anonymous_id'], ["'user_id'", 'user_id']], hashes=pending
        ) }}
    {%- endif %}
)

select * from final
