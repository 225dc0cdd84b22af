"""The tables the collector lands and their columns, in the order of the raw contract.

`tracks`, `pages` and `identifies` are exactly the columns and types of
models/staging/segment/_segment__sources.yml (tests/collector checks it): strings as Arrow
`string` (DuckDB varchar), times as `timestamp[us, tz=UTC]` (timestamp with time zone), as
`audience generate` writes them. The other tables are the collector's own:

- `screens`: screen calls of mobile apps, with the columns of `pages` (`name` the screen's
  name, url/path/... usually null). Kept apart, as Segment's warehouses do, so app screens do
  not count as web page views; staging does not read it (union it into pages to count them).
- `groups`: group calls (an account a user belongs to); staging does not read it.
- `aliases`: alias calls, `previous_id` -> `user_id`; staging does not read it. Not written
  into `identifies`: previous_id may be a user id, which identity resolution would then take
  for a device id.
- `collector_rejections`: one row per event (or request) the collector refused, so
  received = landed + rejected reconciles. It holds no event content (no body excerpt): rows
  there would escape the project's erasure and retention rules, which cover the raw event
  tables only.
"""

from __future__ import annotations

import pyarrow as pa

TIME = pa.timestamp("us", tz="UTC")
TEXT = pa.string()

_CONTEXT = [
    "context_ip",
    "context_user_agent",
    "context_locale",
    "context_library_name",
    "context_device_type",
    "context_os_name",
]
_LOCATION = ["context_location_country", "context_location_region", "context_location_city"]
_CAMPAIGN = [
    "context_campaign_source",
    "context_campaign_medium",
    "context_campaign_name",
    "context_campaign_content",
    "context_campaign_term",
]
_PAGE_CONTEXT = [
    "context_page_url",
    "context_page_path",
    "context_page_title",
    "context_page_referrer",
]
_TIMES = ["timestamp", "original_timestamp", "sent_at", "received_at"]
_IDS = ["id", "anonymous_id", "user_id"]

COLUMNS: dict[str, list[str]] = {
    "tracks": [
        *_IDS,
        "event",
        "event_text",
        *_TIMES,
        "properties",
        *_CONTEXT,
        *_PAGE_CONTEXT,
        *_LOCATION,
        *_CAMPAIGN,
    ],
    "pages": [
        *_IDS,
        "name",
        "url",
        "path",
        "title",
        "referrer",
        "search",
        *_TIMES,
        *_CONTEXT,
        *_LOCATION,
        *_CAMPAIGN,
    ],
    "identifies": [
        *_IDS,
        "email",
        "phone",
        "first_name",
        "last_name",
        *_TIMES,
        "context_ip",
        "context_user_agent",
        "context_library_name",
        "context_device_type",
    ],
    "groups": [
        *_IDS,
        "group_id",
        "traits",
        *_TIMES,
        "context_ip",
        "context_user_agent",
        "context_library_name",
    ],
    "aliases": [
        "id",
        "previous_id",
        "user_id",
        *_TIMES,
        "context_ip",
        "context_user_agent",
        "context_library_name",
    ],
    "collector_rejections": [
        "received_at",
        "request_id",
        "endpoint",
        "event_index",
        "message_id",
        "type",
        "reason",
        "size_bytes",
    ],
}
COLUMNS["screens"] = COLUMNS["pages"]

REJECTIONS = "collector_rejections"
_INTEGERS = {"event_index": pa.int32(), "size_bytes": pa.int64()}
_TIME_COLUMNS = {*_TIMES}


def arrow_type(column: str) -> pa.DataType:
    """The Arrow type of a column of any collector table."""
    if column in _TIME_COLUMNS:
        return TIME
    return _INTEGERS.get(column, TEXT)


SCHEMAS: dict[str, pa.Schema] = {
    table: pa.schema([(name, arrow_type(name)) for name in columns])
    for table, columns in COLUMNS.items()
}
