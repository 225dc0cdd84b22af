"""Segment's and RudderStack's own Python libraries, pointed at the collector."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from rudderstack.analytics.client import Client as RudderClient
from segment.analytics.client import Client as SegmentClient

from tests.collector.support import WRITE_KEY, CollectorProcess


@pytest.mark.parametrize("library", ["segment", "rudderstack"])
def test_library_events_land_once(collector: CollectorProcess, library: str) -> None:
    errors: list[Exception] = []
    options = {"host": collector.url, "on_error": lambda error, _: errors.append(error)}
    if library == "segment":
        client = SegmentClient(WRITE_KEY, gzip=True, **options)
    else:
        client = RudderClient(WRITE_KEY, **options)  # gzip by default
    sent: dict[str, str] = {}

    def message_id(table: str) -> str:
        sent[value := str(uuid.uuid4())] = table
        return value

    when = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    for n in range(20):
        context = {
            "ip": "203.0.113.7",
            "userAgent": "Mozilla/5.0",
            "locale": "en-US",
            "page": {"url": "https://shop.example.com/p/1", "path": "/p/1"},
            "campaign": {"source": "newsletter"},
        }
        client.track(
            user_id=f"user-{n}",
            event="Product Viewed",
            properties={"price": n},
            context=context,
            timestamp=when,
            message_id=message_id("tracks"),
        )
        client.page(
            anonymous_id=f"anon-{n}",
            name="Product Detail",
            properties={"url": "https://shop.example.com/p/1", "title": "P"},
            message_id=message_id("pages"),
        )
        client.identify(
            user_id=f"user-{n}",
            anonymous_id=f"anon-{n}",
            traits={"email": f"p{n}@example.com", "firstName": "Ada"},
            message_id=message_id("identifies"),
        )
    client.flush()
    client.join()
    assert not errors
    collector.stop()

    for table in ("tracks", "pages", "identifies"):
        ids = collector.landed_ids(table)
        assert len(ids) == len(set(ids))
        assert set(ids) == {mid for mid, t in sent.items() if t == table}
    tracks = {row["id"]: row for row in collector.landed("tracks").to_pylist()}
    row = next(iter(tracks.values()))
    assert row["event"] == "product_viewed" and row["event_text"] == "Product Viewed"
    assert row["context_library_name"] == "analytics-python"
    assert row["context_ip"] == "203.0.113.7"
    assert row["context_page_path"] == "/p/1" and row["context_campaign_source"] == "newsletter"
    # the library's clock is the server's: the skew correction keeps the event time
    assert row["original_timestamp"] == when
    assert abs((row["timestamp"] - when).total_seconds()) < 5
    assert row["received_at"] > row["sent_at"] or row["received_at"] >= when
    pages = collector.landed("pages").to_pylist()
    assert {p["url"] for p in pages} == {"https://shop.example.com/p/1"}
    assert pages[0]["context_ip"] == "127.0.0.1"  # from the connection, none sent
    identifies = collector.landed("identifies").to_pylist()
    assert {i["first_name"] for i in identifies} == {"Ada"}
    assert all(i["email"].endswith("@example.com") for i in identifies)
