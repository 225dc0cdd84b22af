"""Snowplow's atomic `events` table: page views, structured events (tracking-plan events whose
only property is `category`, sent as se_category) and self-describing events (every other track,
and identify calls as schema `identify`), with the properties as JSON text in
`unstruct_event_<vendor>_<event>_1` columns and the device in the YAUAA entity column."""

from __future__ import annotations

import pyarrow as pa

from ..contract import Contract
from .chunk_tables import chunk_connection
from .naming import snake_case

VENDOR = "com.example"
IDENTIFY_EVENT = "identify"
DEVICE_CLASS = (
    "case lower(context_device_type) when 'mobile' then 'Phone' when 'tablet' then 'Tablet' "
    "when 'desktop' then 'Desktop' end"
)


def _yauaa(os_name: str) -> str:
    """The YAUAA entity as JSON text, from the device type and operating system columns."""
    return (
        f"case when {DEVICE_CLASS} is not null or {os_name} is not null then "
        f"to_json([{{'deviceClass': {DEVICE_CLASS}, 'operatingSystemName': {os_name}}}])"
        "::varchar end"
    )


COMMON = {
    "event_id": "id",
    "platform": "'web'",
    "domain_userid": "anonymous_id",
    "user_id": "user_id",
    "collector_tstamp": "timezone('UTC', received_at)",
    "dvce_created_tstamp": "timezone('UTC', original_timestamp)",
    "dvce_sent_tstamp": "timezone('UTC', sent_at)",
    "derived_tstamp": "timezone('UTC', \"timestamp\")",
    "user_ipaddress": "context_ip",
    "useragent": "context_user_agent",
    "v_tracker": "context_library_name",
    "contexts_nl_basjes_yauaa_context_1": _yauaa("context_os_name"),
}
LOCATION = {
    "br_lang": "context_locale",
    "geo_country": "context_location_country",
    "geo_region_name": "context_location_region",
    "geo_city": "context_location_city",
    "mkt_source": "context_campaign_source",
    "mkt_medium": "context_campaign_medium",
    "mkt_campaign": "context_campaign_name",
    "mkt_content": "context_campaign_content",
    "mkt_term": "context_campaign_term",
}
PAGE_CONTEXT = {
    "page_url": "context_page_url",
    "page_urlpath": "context_page_path",
    "page_title": "context_page_title",
    "page_referrer": "context_page_referrer",
}
TEXT = [
    "network_userid",
    "event",
    "event_vendor",
    "event_name",
    "page_url",
    "page_urlpath",
    "page_urlquery",
    "page_title",
    "page_referrer",
    "se_category",
    "se_action",
    "se_label",
    "se_property",
]


def _select(columns: dict[str, str], all_columns: list[str], table: str) -> str:
    """One source table's rows with every events column (null where it has no value)."""
    typed = {c: "varchar" for c in [*TEXT, *LOCATION, *(c for c in all_columns if "unstruct" in c)]}
    typed["se_value"] = "double"
    parts = [
        f"{columns[c]} as {c}" if c in columns else f"cast(null as {typed[c]}) as {c}"
        for c in all_columns
    ]
    return f"select {', '.join(parts)} from {table}"


def snowplow_atomic(
    tables: dict[str, pa.Table], contract: Contract
) -> tuple[dict[str, pa.Table], int]:
    """The chunk's events as one Snowplow atomic events table (sorted by collector time)."""
    con = chunk_connection(tables)
    structured = ", ".join(
        f"'{e.name.lower()}'" for e in contract.tracking_plan if set(e.properties) <= {"category"}
    )
    # an event name spelt differently (`LOGGED_IN`) is sent the way its event is
    is_struct = f"lower(regexp_replace(event_text, '[ _-]+', ' ', 'g')) in ({structured or 'null'})"
    slugs = {r[0] for r in con.sql("select distinct event from carried").fetchall() if r[0]}
    slugs |= {snake_case(e.name) for e in contract.tracking_plan}
    vendor = VENDOR.replace(".", "_")
    unstruct = {s: f"unstruct_event_{vendor}_{s}_1" for s in sorted(slugs | {IDENTIFY_EVENT})}
    all_columns = [
        *COMMON,
        *TEXT,
        *LOCATION,
        "se_value",
        *unstruct.values(),
    ]
    tracks = {
        **COMMON,
        **LOCATION,
        **PAGE_CONTEXT,
        "event": f"case when {is_struct} then 'struct' else 'unstruct' end",
        "event_vendor": f"case when {is_struct} then 'com.google.analytics' else '{VENDOR}' end",
        "event_name": f"case when {is_struct} then 'event' else event end",
        "se_category": f"case when {is_struct} then properties->>'$.category' end",
        "se_action": f"case when {is_struct} then event_text end",
        **{
            column: f"case when not {is_struct} and event = '{slug}' then properties end"
            for slug, column in unstruct.items()
            if slug != IDENTIFY_EVENT
        },
    }
    pages = {
        **COMMON,
        **LOCATION,
        "event": "'page_view'",
        "event_name": "'page_view'",
        "page_url": "url",
        "page_urlpath": "path",
        "page_urlquery": "case when search like '?%' then substr(search, 2) else search end",
        "page_title": "title",
        "page_referrer": "referrer",
    }
    identifies = {
        **COMMON,
        "contexts_nl_basjes_yauaa_context_1": _yauaa("cast(null as varchar)"),
        "event": "'unstruct'",
        "event_vendor": f"'{VENDOR}'",
        "event_name": f"'{IDENTIFY_EVENT}'",
        unstruct[IDENTIFY_EVENT]: "json_object('email', email, 'phone', phone, "
        "'first_name', first_name, 'last_name', last_name)::varchar",
    }
    union = " union all ".join(
        (
            _select(tracks, all_columns, "carried"),
            _select(pages, all_columns, "pages_in"),
            _select(identifies, all_columns, "identifies_in"),
        )
    )
    events = con.sql(
        f"select * from ({union}) order by collector_tstamp, event_id"
    ).to_arrow_table()
    not_carried = (
        tables["tracks"].num_rows - con.sql("select count(*) from carried").fetchall()[0][0]
    )
    return {"events": events}, not_carried
