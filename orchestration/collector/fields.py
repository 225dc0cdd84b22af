"""Reading one Segment message's fields: text values, ISO 8601 times, nested context values."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class InvalidField(ValueError):
    """A field the spec types differently (`reason` is the rejection's code)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def text(value: Any) -> str | None:
    """A string column's value: strings as sent, numbers and booleans as their JSON text
    (Segment's libraries stringify ids the same way), anything else null."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return None


def texts(values: Any, keys: tuple[str, ...]) -> list[str | None]:
    """text() of several values of an object ({} or not an object: all null); the hot path."""
    if values.__class__ is not dict:
        return [None] * len(keys)
    return [
        value if value is None or value.__class__ is str else text(value)
        for value in map(values.get, keys)
    ]


def identifier(value: Any) -> str | None:
    """An id: text, empty or blank taken as absent."""
    value = text(value)
    return value if value and value.strip() else None


@functools.lru_cache(maxsize=8192)
def _iso_micros(value: str) -> int:
    """Raises ValueError for a text that is not ISO 8601. Cached: a batch's messages share
    its sentAt, and often their times."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return (parsed - _EPOCH) // _MICROSECOND


def micros(value: Any, field: str) -> int | None:
    """An ISO 8601 time as microseconds since the epoch (UTC; a time without offset is UTC)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidField("invalid_timestamp", f"{field} is not an ISO 8601 string")
    try:
        return _iso_micros(value)
    except ValueError:
        raise InvalidField("invalid_timestamp", f"{field} is not an ISO 8601 time") from None


def obj(value: Any, field: str) -> dict[str, Any]:
    """An object field (context, properties, traits): absent is empty."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidField("invalid_field", f"{field} is not a JSON object")
    return value


def sub(context: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested object of the context (`page`, `campaign`, ...), {} when absent or not one."""
    value = context.get(key)
    return value if isinstance(value, dict) else {}


@functools.lru_cache(maxsize=4096)
def slug(name: str) -> str:
    """`Product Viewed` -> `product_viewed`, as `audience generate` writes `event`."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def event_times(
    message: dict[str, Any], sent_at: Any, received_us: int
) -> tuple[int, int | None, int | None]:
    """(timestamp, original_timestamp, sent_at) in microseconds.

    As Segment's common fields spec: original_timestamp is the device clock's time of the call
    (`originalTimestamp`, else the `timestamp` the library sent); `timestamp` is corrected for
    the device's clock skew, received_at - (sent_at - original_timestamp), when both are known;
    the original time when no sentAt came; the receive time when the message has no time.
    """
    original = micros(message.get("originalTimestamp"), "originalTimestamp")
    if original is None:
        original = micros(message.get("timestamp"), "timestamp")
    sent = micros(message.get("sentAt") or sent_at, "sentAt")
    if original is None:
        return received_us, None, sent
    if sent is None:
        return original, original, None
    return received_us - (sent - original), original, sent
