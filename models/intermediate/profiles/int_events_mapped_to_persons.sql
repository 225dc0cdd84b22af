{#-
    Every event with the person it belongs to: the site events of int_events_sessionized (page
    views and track events, with their session) and the email events (opens and clicks, which
    belong to no session), with the track properties profiles read. An event maps to the person of
    its user_id when it has one, otherwise to the person of its device (anonymous_id).

    Incremental with delete+insert on message_id. A run rewrites only the events whose row may have
    changed, found by comparing with what is stored, not by trusting that the models upstream ran
    in the same run:
    - the events of every session owner with an event received since the newest received_at here
      minus var event_lookback_hours (what int_events_sessionized may have re-sessionized), and the
      email events received since then;
    - the events stored under an identifier (person_matched_on, person_matched_value) whose person
      is now another or none (merges, splits), or under a person now without analytics consent;
    - the events matched on an identifier of a profiled person that no stored event was matched on
      (consent granted again, or a person without consent merged into one with it).
    A rewritten event of no person, or of a person without consent, is written with a null
    person_id and deleted by the post-hook, so a full and an incremental build hold the same rows.
    A table stored by a release without person_matched_value or received_at is rebuilt whole by
    the next run (macro is_incremental_with), its new columns appended first.
-#}
{{ config(
    meta={
        'erasure': {'persons': ['person_id']},
        'retention': {'column': 'received_at', 'days_var': 'event_retention_days'},
    },
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='message_id',
    on_schema_change='append_new_columns',
    post_hook="{{ audience.delete_rows(this, 'person_id is null') }}",
) }}

{%- set incremental = audience.is_incremental_with(['person_matched_value', 'received_at']) %}
{#- the events a run maps: those of events_to_map in an incremental run, all in a full build -#}
{%- set to_map = 'in (select events_to_map.message_id from events_to_map)' if incremental else 'is not null' %}

with

-- Inlined, as the stored rows below: each read takes a few columns of a table (stored, a CTE
-- would hold every wide row).
site_events as {{ audience.materialized_cte(false) }} (
    select * from {{ ref('int_events_sessionized') }}
),

tracks as {{ audience.materialized_cte(false) }} (
    select * from {{ ref('stg_segment__tracks') }}
),

tracking_plan as (
    select * from {{ ref('tracking_plan') }}
),

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

email_event_names as (
    select tracking_plan.event_name
    from tracking_plan
    where tracking_plan.event_category = 'email'
),

{% if incremental %}
    loaded_events as {{ audience.materialized_cte(false) }} (
        select
            message_id,
            person_id,
            person_matched_on,
            person_matched_value,
            received_at
        from {{ this }}
    ),

    new_events_since as (
        select {{ audience.lookback_start('loaded_events.received_at') }} as received_since
        from loaded_events
    ),

    rewritten_owners as (
        select distinct
            site_events.session_owner_type,
            site_events.session_owner_id
        from site_events
        cross join new_events_since
        where coalesce(site_events.received_at >= new_events_since.received_since, true)
    ),

    loaded_matches as (
        select distinct
            loaded_events.person_matched_on,
            loaded_events.person_matched_value,
            loaded_events.person_id
        from loaded_events
    ),

    event_identities as (
        select
            identities.identifier_type,
            identities.identifier_value,
            identities.person_id
        from identities
        where identities.identifier_type in ('user_id', 'anonymous_id')
    ),

    -- each stored match beside its identifier's person now, and each identifier of events that no
    -- stored event was matched on
    matches_compared as (
        select
            loaded_matches.person_matched_on,
            loaded_matches.person_matched_value,
            loaded_matches.person_id as loaded_person_id,
            event_identities.identifier_type,
            event_identities.identifier_value,
            event_identities.person_id
        from loaded_matches
        full outer join event_identities
            on
                loaded_matches.person_matched_on = event_identities.identifier_type
                and loaded_matches.person_matched_value = event_identities.identifier_value
    ),

    moved_matches as (
        select
            matches_compared.person_matched_on,
            matches_compared.person_matched_value
        from matches_compared
        where
            matches_compared.person_matched_value is not null
            and (
                matches_compared.person_id is null
                or matches_compared.person_id != matches_compared.loaded_person_id
                or not {{ audience.has_analytics_consent('matches_compared.loaded_person_id') }}
            )
    ),

    moved_events as (
        select loaded_events.message_id
        from loaded_events
        inner join moved_matches
            on
                loaded_events.person_matched_on = moved_matches.person_matched_on
                and loaded_events.person_matched_value = moved_matches.person_matched_value
    ),

    -- identifiers of profiled persons that no stored event was matched on: the events of a person
    -- given consent again, or of a person without consent merged into one with it
    unmatched_identifiers as (
        select
            matches_compared.identifier_type,
            matches_compared.identifier_value
        from matches_compared
        where
            matches_compared.person_matched_value is null
            and {{ audience.has_analytics_consent('matches_compared.person_id') }}
    ),

    unmatched_user_ids as (
        select unmatched_identifiers.identifier_value
        from unmatched_identifiers
        where unmatched_identifiers.identifier_type = 'user_id'
    ),

    unmatched_anonymous_ids as (
        select unmatched_identifiers.identifier_value
        from unmatched_identifiers
        where unmatched_identifiers.identifier_type = 'anonymous_id'
    ),

    known_user_ids as (
        select event_identities.identifier_value
        from event_identities
        where event_identities.identifier_type = 'user_id'
    ),

    event_identifiers as (
        select
            site_events.message_id,
            site_events.user_id,
            site_events.anonymous_id
        from site_events
        union all
        select
            tracks.message_id,
            tracks.user_id,
            tracks.anonymous_id
        from tracks
        where
            tracks.event_name in (select email_event_names.event_name from email_event_names)
            and not tracks.is_bot
    ),

    unmatched_candidates as (
        select
            event_identifiers.message_id,
            event_identifiers.user_id,
            event_identifiers.user_id in (
                select unmatched_user_ids.identifier_value from unmatched_user_ids
            ) as has_unmatched_user_id
        from event_identifiers
        where
            event_identifiers.user_id in (select unmatched_user_ids.identifier_value from unmatched_user_ids)
            or event_identifiers.anonymous_id in (
                select unmatched_anonymous_ids.identifier_value from unmatched_anonymous_ids
            )
    ),

    -- an event is matched on its user_id when identity stitching knows it, else on its device
    unmatched_events as (
        select unmatched_candidates.message_id
        from unmatched_candidates
        left join known_user_ids on unmatched_candidates.user_id = known_user_ids.identifier_value
        where unmatched_candidates.has_unmatched_user_id or known_user_ids.identifier_value is null
    ),

    events_to_map as (
        select site_events.message_id
        from site_events
        inner join rewritten_owners
            on
                site_events.session_owner_type = rewritten_owners.session_owner_type
                and site_events.session_owner_id = rewritten_owners.session_owner_id
        union
        select tracks.message_id
        from tracks
        cross join new_events_since
        where coalesce(tracks.received_at >= new_events_since.received_since, true)
        union
        select moved_events.message_id from moved_events
        union
        select unmatched_events.message_id from unmatched_events
    ),

{% endif %}

site_events_with_properties as (
    select
        site_events.message_id,
        site_events.session_id,
        site_events.event_type,
        site_events.event_name,
        site_events.event_at,
        site_events.received_at,
        site_events.anonymous_id,
        site_events.user_id,
        site_events.product_id,
        site_events.product_category,
        site_events.price,
        site_events.cart_value,
        site_events.device_type,
        site_events.page_path,
        tracks.video_id,
        tracks.percent_watched,
        tracks.scroll_depth,
        tracks.campaign_id
    from site_events
    left join tracks
        on
            site_events.message_id = tracks.message_id
            and tracks.message_id {{ to_map }}
    where site_events.message_id {{ to_map }}
),

email_events as (
    select
        tracks.message_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        'track' as event_type,
        tracks.event_name,
        tracks.event_at,
        tracks.received_at,
        tracks.anonymous_id,
        tracks.user_id,
        tracks.product_id,
        tracks.product_category,
        cast(null as {{ dbt.type_numeric() }}) as price,
        cast(null as {{ dbt.type_numeric() }}) as cart_value,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as page_path,
        tracks.video_id,
        tracks.percent_watched,
        tracks.scroll_depth,
        tracks.campaign_id
    from tracks
    -- bots (link scanners of mail servers) are left out, as int_events_unioned leaves out site bots
    where
        tracks.event_name in (select email_event_names.event_name from email_event_names)
        and not tracks.is_bot
        and tracks.message_id {{ to_map }}
),

events as (
    select * from site_events_with_properties
    union all
    select * from email_events
),

events_with_persons as (
    {{ audience.person_of_identifier('events', ['user_id', 'anonymous_id']) }}
),

-- No person: an erased person's event (purged from int_events_sessionized at the end of the
-- run), or an event of a person without analytics consent. An incremental run writes such an
-- event it rewrites with a null person_id, so that its stored row is replaced, then deleted.
mapped as (
    select
        events_with_persons.*,
        events_with_persons.person_id is not null
        and {{ audience.has_analytics_consent('events_with_persons.person_id') }} as is_profiled
    from events_with_persons
),

final as (
    select
        mapped.message_id,
        mapped.session_id,
        case when mapped.is_profiled then mapped.person_id end as person_id,
        mapped.person_matched_on,
        case
            when mapped.person_matched_on = 'user_id' then mapped.user_id else mapped.anonymous_id
        end as person_matched_value,
        mapped.event_type,
        mapped.event_name,
        mapped.event_at,
        mapped.received_at,
        mapped.product_id,
        mapped.product_category,
        mapped.price,
        mapped.cart_value,
        mapped.device_type,
        mapped.page_path,
        mapped.video_id,
        mapped.percent_watched,
        mapped.scroll_depth,
        mapped.campaign_id
    from mapped
    {%- if not is_incremental() %}
        where mapped.is_profiled
    {%- endif %}
)

select * from final
