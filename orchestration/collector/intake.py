"""One request's messages -> rows to land and the rejections to report.

A bad message never costs the others: each is mapped on its own, the accepted ones are landed,
every rejected one is reported in the response (its index in the batch, its messageId if any,
a reason code and a message) and recorded in collector_rejections, so that per request
received = accepted + rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from orchestration.collector.body import MAX_EVENT_BYTES, BadRequest
from orchestration.collector.mapping import InvalidField, Row, map_message
from orchestration.collector.schema import REJECTIONS

# Segment: "each batch request can only have up to 2500 events"; later ones are rejected.
MAX_BATCH_EVENTS = 2500


@dataclass
class Outcome:
    request_id: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    accepted: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def payload(self) -> bytes:
        """The write-ahead log record: [request id, [[table, rows], ...]]."""
        return orjson.dumps([self.request_id, list(self.rows.items())])


@dataclass(frozen=True)
class Request:
    request_id: str
    endpoint: str
    received_us: int
    client_ip: str | None


def _short(value: Any, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) else None


def reject(
    outcome: Outcome,
    request: Request,
    index: int | None,
    message: Any,
    reason: str,
    text: str,
    size: int,
) -> None:
    """Record one rejection: in the response and as a collector_rejections row (no content)."""
    message_id = _short(message.get("messageId"), 100) if isinstance(message, dict) else None
    kind = _short(message.get("type"), 20) if isinstance(message, dict) else None
    kind = kind or (request.endpoint if index is not None and request.endpoint != "batch" else None)
    outcome.rejected.append(
        {"index": index, "messageId": message_id, "reason": reason, "message": text}
    )
    row: Row = [
        request.received_us,
        request.request_id,
        request.endpoint,
        index,
        message_id,
        kind,
        reason,
        size,
    ]
    outcome.rows.setdefault(REJECTIONS, []).append(row)


def messages(payload: Any, kind: str | None) -> tuple[list[Any], Any, dict[str, Any] | None]:
    """(messages, batch sentAt, batch context) of a request body."""
    if not isinstance(payload, dict):
        raise BadRequest("invalid_json", "the body is not a JSON object")
    if kind is not None:
        return [payload], None, None
    batch = payload.get("batch")
    if not isinstance(batch, list):
        raise BadRequest("invalid_batch", "a batch request needs a `batch` array")
    context = payload.get("context")
    return batch, payload.get("sentAt"), context if isinstance(context, dict) else None


def process(payload: Any, kind: str | None, request: Request, body_size: int) -> Outcome:
    """Map every message of the request; kind is the endpoint's type, None for /v1/batch."""
    items, sent_at, context = messages(payload, kind)
    outcome = Outcome(request.request_id)
    # no message can be over the limit when the whole body is not
    measure = kind is None and body_size > MAX_EVENT_BYTES
    rows = outcome.rows
    for index, message in enumerate(items):
        size = len(orjson.dumps(message)) if measure else 0
        if index >= MAX_BATCH_EVENTS:
            reject(
                outcome,
                request,
                index,
                message,
                "too_many_events",
                f"a batch holds at most {MAX_BATCH_EVENTS} events",
                size,
            )
        elif size > MAX_EVENT_BYTES:
            reject(
                outcome,
                request,
                index,
                message,
                "event_too_large",
                f"the event is larger than {MAX_EVENT_BYTES} bytes",
                size,
            )
        else:
            try:
                table, row = map_message(
                    message, kind, request.received_us, sent_at, request.client_ip, context
                )
            except InvalidField as error:
                size = size or len(orjson.dumps(message))
                reject(outcome, request, index, message, error.reason, str(error), size)
                continue
            rows.setdefault(table, []).append(row)
            outcome.accepted += 1
    return outcome
