"""Events sent with Segment's and RudderStack's Python libraries to the collector reach staging
exactly once: the collector lands them among a built warehouse's raw files, and the incremental
build of the event staging models that a refresh runs picks up every acknowledged event, once,
a retried message included."""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pytest
from rudderstack.analytics.client import Client as RudderClient
from segment.analytics.client import Client as SegmentClient

from tests.collector.support import WRITE_KEY, CollectorProcess
from tests.support import run_dbt

pytestmark = pytest.mark.slow

STAGING = {
    "tracks": "staging.stg_segment__tracks",
    "pages": "staging.stg_segment__pages",
    "identifies": "staging.stg_segment__identifies",
}


def send(client, sent: dict[str, str], n: int) -> None:
    def message_id(table: str) -> str:
        sent[value := str(uuid.uuid4())] = table
        return value

    when = datetime.now(UTC)
    user, device = f"collected-user-{n}", str(uuid.uuid4())
    context = {"ip": "203.0.113.9", "userAgent": "Mozilla/5.0 (X11; Linux x86_64)"}
    client.identify(
        user_id=user,
        anonymous_id=device,
        traits={"email": f"{user}@example.com"},
        context=context,
        timestamp=when,
        message_id=message_id("identifies"),
    )
    client.page(
        anonymous_id=device,
        name="Home",
        properties={"url": "https://shop.example.com/", "path": "/", "title": "Shop"},
        context=context,
        timestamp=when,
        message_id=message_id("pages"),
    )
    retried = message_id("tracks")
    for _ in range(2):  # a library's retry sends the same message again
        client.track(
            user_id=user,
            anonymous_id=device,
            event="Product Viewed",
            properties={"product_id": "SKU-1", "category": "garden", "price": 12.5},
            context=context,
            timestamp=when,
            message_id=retried,
        )


def test_every_acknowledged_event_is_in_staging_exactly_once(defective_warehouse, tmp_path):
    shutil.copytree(defective_warehouse.raw_path, tmp_path / "raw")
    duckdb_path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    collector = CollectorProcess(tmp_path, "--flush-seconds", "0.5").start()
    errors: list[Exception] = []
    sent: dict[str, str] = {}
    try:
        for number, library in enumerate((SegmentClient, RudderClient)):
            client = library(
                WRITE_KEY, host=collector.url, on_error=lambda error, _: errors.append(error)
            )
            for n in range(10):
                send(client, sent, number * 100 + n)
            client.flush()
            client.join()
    finally:
        collector.stop()
    assert not errors

    result = run_dbt(["build", "-s", "path:models/staging/segment"], tmp_path / "raw", duckdb_path)
    assert result.returncode == 0, result.stdout[-5000:]
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        con.register("sent", pa.table({"id": list(sent), "raw_table": list(sent.values())}))
        for table, model in STAGING.items():
            counts = dict(
                con.execute(
                    f"select message_id, count(*) from {model}"
                    " where message_id in (select id from sent) group by message_id"
                ).fetchall()
            )
            expected = {i for i, t in sent.items() if t == table}
            assert set(counts) == expected, table
            assert set(counts.values()) == {1}, table
