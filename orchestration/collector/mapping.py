"""Segment messages -> rows of the raw tables (orchestration/collector/schema.py), or a reason
to reject the message.

A message is rejected (never landed, recorded in collector_rejections) when it is not an
object, has no or an unknown `type`, has neither `userId` nor `anonymousId` (Segment's
`no_user_anon_id`), is a track without `event`, an alias without `previousId`, a group without
`groupId`, has a time that is not ISO 8601, an object field (context, properties, traits) that
is not an object, or a `messageId` of 100 characters or more. Everything else is landed as
sent: staging (models/staging/segment) judges the rest (event names outside the tracking plan,
times out of range, duplicates), so what the collector lands is what the warehouse quarantines.

Identify traits are read from `traits`, else from `context.traits` (where RudderStack's
libraries put them): email, phone, first_name (or Segment's firstName), last_name (lastName).

A message without `messageId` gets one made from its content (`collector-<sha1>`): Segment adds
one too, and one made from the content keeps a retried copy a duplicate staging drops.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from orchestration.collector.fields import (
    InvalidField,
    event_times,
    identifier,
    micros,
    obj,
    slug,
    sub,
    text,
    texts,
)

TYPES = ("track", "page", "screen", "identify", "group", "alias")
TABLES = {
    "track": "tracks",
    "page": "pages",
    "screen": "screens",
    "identify": "identifies",
    "group": "groups",
    "alias": "aliases",
}
MAX_MESSAGE_ID = 100

Row = list[str | int | None]


def message_id(message: dict[str, Any]) -> str:
    """The message's id, or one made from its content."""
    given = message.get("messageId")
    if given is None:
        digest = hashlib.sha1(orjson.dumps(message, option=orjson.OPT_SORT_KEYS)).hexdigest()
        return f"collector-{digest}"
    value = identifier(given)
    if value is None or len(value) >= MAX_MESSAGE_ID:
        raise InvalidField("invalid_message_id", "messageId must be a text under 100 characters")
    return value


def _context(message: dict[str, Any], batch_context: dict[str, Any] | None) -> dict[str, Any]:
    context = obj(message.get("context"), "context")
    if batch_context:
        return {**batch_context, **context}
    return context


_LOCATION = ("country", "region", "city")
_CAMPAIGN = ("source", "medium", "name", "content", "term")
_PAGE = ("url", "path", "title", "referrer", "search")


def _common(context: dict[str, Any], client_ip: str | None) -> Row:
    """context_ip, _user_agent, _locale, _library_name, _device_type, _os_name."""
    ip, user_agent, locale = texts(context, ("ip", "userAgent", "locale"))
    get = context.get
    return [
        ip or client_ip,
        user_agent,
        locale,
        *texts(get("library"), ("name",)),
        *texts(get("device"), ("type",)),
        *texts(get("os"), ("name",)),
    ]


def _geo_and_campaign(context: dict[str, Any]) -> Row:
    return [
        *texts(context.get("location"), _LOCATION),
        *texts(context.get("campaign"), _CAMPAIGN),
    ]


def map_message(
    message: Any,
    kind: str | None,
    received_us: int,
    sent_at: Any,
    client_ip: str | None,
    batch_context: dict[str, Any] | None = None,
) -> tuple[str, Row]:
    """(table, row) of an accepted message; raises InvalidField for a rejected one. `kind` is
    the endpoint's type (/v1/track: track), None for a batch item (its own `type`)."""
    if not isinstance(message, dict):
        raise InvalidField("not_an_object", "the message is not a JSON object")
    kind = kind or message.get("type")
    if kind not in TABLES:
        raise InvalidField("invalid_type", f"type must be one of {', '.join(TYPES)}")
    mid = message_id(message)
    user_id = identifier(message.get("userId"))
    anonymous_id = identifier(message.get("anonymousId"))
    context = _context(message, batch_context)
    timestamp, original, sent = event_times(message, sent_at, received_us)
    times: Row = [timestamp, original, sent, received_us]
    if kind == "alias":
        previous_id = identifier(message.get("previousId"))
        if previous_id is None or user_id is None:
            raise InvalidField("missing_identifier", "an alias needs previousId and userId")
        return "aliases", [
            mid,
            previous_id,
            user_id,
            *times,
            *_common(context, client_ip)[:2],
            text(sub(context, "library").get("name")),
        ]
    if user_id is None and anonymous_id is None:
        raise InvalidField("missing_identifier", "userId or anonymousId is required")
    ids: Row = [mid, anonymous_id, user_id]
    common = _common(context, client_ip)
    if kind == "track":
        name = text(message.get("event"))
        if not name or not name.strip():
            raise InvalidField("missing_event_name", "a track needs an event name")
        properties = obj(message.get("properties"), "properties")
        page_row = texts(context.get("page"), _PAGE[:4])
        return "tracks", [
            *ids,
            slug(name),
            name,
            *times,
            orjson.dumps(properties).decode(),
            *common,
            *page_row,
            *_geo_and_campaign(context),
        ]
    if kind in ("page", "screen"):
        properties = obj(message.get("properties"), "properties")
        page = sub(context, "page") if kind == "page" else {}
        page_row = [
            text(properties.get(key, page.get(key)))
            for key in ("url", "path", "title", "referrer", "search")
        ]
        name = text(message.get("name", properties.get("name")))
        return TABLES[kind], [*ids, name, *page_row, *times, *common, *_geo_and_campaign(context)]
    traits = obj(message.get("traits"), "traits")
    if kind == "identify":
        # RudderStack's libraries send an identify's traits in context.traits only
        traits = {**sub(context, "traits"), **traits}
        first = traits.get("first_name", traits.get("firstName"))
        last = traits.get("last_name", traits.get("lastName"))
        return "identifies", [
            *ids,
            text(traits.get("email")),
            text(traits.get("phone")),
            text(first),
            text(last),
            *times,
            common[0],
            common[1],
            common[3],
            common[4],
        ]
    group_id = identifier(message.get("groupId"))
    if group_id is None:
        raise InvalidField("missing_group_id", "a group call needs groupId")
    return "groups", [
        *ids,
        group_id,
        orjson.dumps(traits).decode(),
        *times,
        common[0],
        common[1],
        common[3],
    ]


__all__ = ["TABLES", "InvalidField", "Row", "map_message", "micros"]
