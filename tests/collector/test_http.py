"""The HTTP API: write keys, gzip, size limits, per-event validation, status codes."""

from __future__ import annotations

import gzip
import uuid

import orjson

from tests.collector.support import WRITE_KEY, CollectorProcess


def track(**fields) -> dict:
    return {
        "type": "track",
        "messageId": str(uuid.uuid4()),
        "userId": "u1",
        "event": "Product Viewed",
        "properties": {"price": 9.5},
        **fields,
    }


def test_write_key_is_required(collector: CollectorProcess) -> None:
    for key in (None, "wrong-key"):
        response = collector.post("/v1/track", track(), key=key)
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_write_key"
    # Segment's HTTP API also takes the key in the body
    body = {**track(), "writeKey": WRITE_KEY}
    assert collector.post("/v1/track", body, key=None).status_code == 200
    collector.stop()
    assert collector.landed_ids("tracks") == [body["messageId"]]
    # tables without events get a schema-only file: dbt needs one per event table
    assert collector.landed("pages").num_rows == collector.landed("identifies").num_rows == 0
    assert WRITE_KEY not in collector.log.read_text()


def test_gzip_body(collector: CollectorProcess) -> None:
    events = [track() for _ in range(3)]
    body = gzip.compress(orjson.dumps({"batch": events}))
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    response = collector.post("/v1/batch", body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 3
    # the 500 KB limit is on the decompressed body: 2 MB that compresses to 2 KB is refused
    bomb = gzip.compress(orjson.dumps({"batch": [track(properties={"x": " " * 2_000_000})]}))
    too_large = collector.post("/v1/batch", bomb, headers=headers)
    assert too_large.status_code == 400
    assert too_large.json()["code"] == "payload_too_large"
    broken = collector.post("/v1/batch", b"not gzip", headers=headers)
    assert broken.status_code == 400
    assert broken.json()["code"] == "invalid_gzip"
    collector.stop()
    assert sorted(collector.landed_ids("tracks")) == sorted(e["messageId"] for e in events)


def test_size_limits(collector: CollectorProcess) -> None:
    big = track(properties={"blob": "x" * 40_000})
    # a single call over 32 KB: Segment's documented 400
    single = collector.post("/v1/track", big)
    assert single.status_code == 400
    assert single.json()["code"] == "payload_too_large"
    # in a batch only that event is refused
    small = [track(), track()]
    response = collector.post("/v1/batch", {"batch": [small[0], big, small[1]]})
    assert response.status_code == 200
    assert response.json()["accepted"] == 2
    [rejected] = response.json()["rejected"]
    assert rejected["index"] == 1
    assert rejected["messageId"] == big["messageId"]
    assert rejected["reason"] == "event_too_large"
    # a batch request over 500 KB is refused whole
    huge = {"batch": [track(properties={"blob": "y" * 20_000}) for _ in range(30)]}
    too_large = collector.post("/v1/batch", huge)
    assert too_large.status_code == 400
    assert too_large.json()["code"] == "payload_too_large"
    collector.stop()
    assert sorted(collector.landed_ids("tracks")) == sorted(e["messageId"] for e in small)
    rejections = collector.landed("collector_rejections").to_pylist()
    assert all(r["size_bytes"] > 32 << 10 for r in rejections)
    assert sorted(r["reason"] for r in rejections) == [
        "event_too_large",
        "payload_too_large",
        "payload_too_large",
    ]


def test_one_bad_event_does_not_drop_the_batch(collector: CollectorProcess) -> None:
    good = [track(), {**track(), "type": "page", "name": "Home"}, track(anonymousId="a1")]
    bad = [
        {**track(), "userId": None},
        {**track(), "event": ""},
        {**track(), "timestamp": "yesterday"},
        {**track(), "type": "unknown"},
        "not an object",
    ]
    batch = [good[0], bad[0], good[1], bad[1], bad[2], good[2], bad[3], bad[4]]
    response = collector.post("/v1/batch", {"batch": batch})
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == 3
    assert [(r["index"], r["reason"]) for r in body["rejected"]] == [
        (1, "missing_identifier"),
        (3, "missing_event_name"),
        (4, "invalid_timestamp"),
        (6, "invalid_type"),
        (7, "not_an_object"),
    ]
    assert body["rejected"][0]["messageId"] == bad[0]["messageId"]
    # a request of only bad events is a 400 naming them
    only_bad = collector.post("/v1/identify", {"traits": {"email": "a@example.com"}})
    assert only_bad.status_code == 400
    assert only_bad.json()["rejected"][0]["reason"] == "missing_identifier"
    assert collector.post("/v1/batch", b"{not json").status_code == 400
    collector.stop()
    assert sorted(collector.landed_ids("tracks")) == sorted(
        [good[0]["messageId"], good[2]["messageId"]]
    )
    assert collector.landed_ids("pages") == [good[1]["messageId"]]
    # received = landed + rejected
    assert collector.landed("collector_rejections").num_rows == len(bad) + 1 + 1
    log = collector.log.read_text()
    assert "a@example.com" not in log and "Product Viewed" not in log


def test_no_write_key_configured_refuses_to_start(tmp_path) -> None:
    process = CollectorProcess(tmp_path, keys="")
    try:
        process.start(timeout=10)
    except RuntimeError as error:
        assert "AUDIENCE_COLLECT_WRITE_KEYS" in str(error)
    else:
        process.kill()
        raise AssertionError("the collector started without a write key")


def test_second_collector_on_the_same_spool_refuses_to_start(collector: CollectorProcess) -> None:
    second = CollectorProcess(collector.raw.parent)
    try:
        second.start(timeout=10)
    except RuntimeError as error:
        assert "another collector uses the spool folder" in str(error)
    else:
        second.kill()
        raise AssertionError("two collectors share one spool")
    assert second.process.returncode == 75
    assert collector.post("/v1/track", track()).status_code == 200
