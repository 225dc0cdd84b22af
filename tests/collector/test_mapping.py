"""Segment messages -> raw rows: times, fields, the types the collector decides for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from orchestration.collector.fields import micros
from orchestration.collector.mapping import InvalidField, map_message
from orchestration.collector.schema import COLUMNS

RECEIVED = micros("2026-12-06T12:00:10Z", "t")


def row(message: dict, kind: str | None = None, sent_at: str | None = None) -> dict:
    table, values = map_message(message, kind, RECEIVED, sent_at, "192.0.2.1")
    return {"table": table, **dict(zip(COLUMNS[table], values, strict=True))}


def us(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1_000_000)


def test_clock_skew_is_corrected_as_segment_does() -> None:
    # the device clock is 1 hour behind: it sent 5 s after the event by its own clock
    message = {
        "type": "track",
        "userId": "u",
        "event": "Signed Up",
        "messageId": "m",
        "timestamp": "2026-12-06T11:00:00Z",
        "sentAt": "2026-12-06T11:00:05Z",
    }
    landed = row(message)
    assert landed["original_timestamp"] == us("2026-12-06T11:00:00")
    assert landed["sent_at"] == us("2026-12-06T11:00:05")
    # timestamp = received_at - (sent_at - original_timestamp)
    assert landed["timestamp"] == us("2026-12-06T12:00:05")
    assert landed["received_at"] == RECEIVED
    # the batch's sentAt counts for its messages; no time at all: the receive time
    assert row({**message, "sentAt": None}, sent_at="2026-12-06T11:00:05Z")["timestamp"] == (
        us("2026-12-06T12:00:05")
    )
    bare = row({"type": "track", "userId": "u", "event": "Signed Up", "messageId": "m"})
    assert bare["timestamp"] == RECEIVED and bare["original_timestamp"] is None


def test_track_fields() -> None:
    landed = row(
        {
            "type": "track",
            "anonymousId": 42,
            "event": "Product  Viewed",
            "messageId": "m",
            "properties": {"price": 1.5},
            "context": {
                "userAgent": "UA",
                "location": {"country": "SE"},
                "os": {"name": "iOS"},
                "device": {"type": "mobile"},
            },
        }
    )
    assert landed["table"] == "tracks"
    assert landed["anonymous_id"] == "42"
    assert (landed["event"], landed["event_text"]) == ("product_viewed", "Product  Viewed")
    assert landed["properties"] == '{"price":1.5}'
    assert landed["context_ip"] == "192.0.2.1"
    assert landed["context_location_country"] == "SE"
    assert (landed["context_os_name"], landed["context_device_type"]) == ("iOS", "mobile")


def test_screen_group_alias_and_identify() -> None:
    screen = row({"anonymousId": "a", "name": "Cart", "messageId": "s"}, kind="screen")
    assert (screen["table"], screen["name"], screen["url"]) == ("screens", "Cart", None)
    group = row({"type": "group", "userId": "u", "groupId": "acme", "traits": {"n": 1}})
    assert (group["table"], group["group_id"], group["traits"]) == ("groups", "acme", '{"n":1}')
    assert group["id"].startswith("collector-")  # made from the content, the same on a retry
    assert (
        group["id"]
        == row({"type": "group", "userId": "u", "groupId": "acme", "traits": {"n": 1}})["id"]
    )
    alias = row({"type": "alias", "previousId": "anon-1", "userId": "u", "messageId": "x"})
    assert (alias["table"], alias["previous_id"], alias["user_id"]) == ("aliases", "anon-1", "u")
    identify = row(
        {
            "type": "identify",
            "userId": "u",
            "messageId": "i",
            "context": {"traits": {"email": "a@example.com", "lastName": "L"}},
        }
    )
    assert (identify["email"], identify["last_name"]) == ("a@example.com", "L")


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ({"type": "track", "event": "X"}, "missing_identifier"),
        ({"type": "track", "userId": "u"}, "missing_event_name"),
        ({"type": "group", "userId": "u"}, "missing_group_id"),
        ({"type": "alias", "userId": "u"}, "missing_identifier"),
        ({"type": "track", "userId": "u", "event": "X", "properties": []}, "invalid_field"),
        ({"type": "track", "userId": "u", "event": "X", "timestamp": 5}, "invalid_timestamp"),
        (
            {"type": "track", "userId": "u", "event": "X", "messageId": "m" * 100},
            "invalid_message_id",
        ),
        ({"type": "boom", "userId": "u"}, "invalid_type"),
    ],
)
def test_rejections(message: dict, reason: str) -> None:
    with pytest.raises(InvalidField) as raised:
        map_message(message, None, RECEIVED, None, None)
    assert raised.value.reason == reason
