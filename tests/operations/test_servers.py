"""`make collect` and `make serve` in the demo's fresh copy, for real: each listens on 127.0.0.1
on the port it is given; the collector takes an event with the demo's write key and lands it in
the raw folder when SIGTERM stops it; the lookup API answers a demo user's profile, with the
demo's token, from the copy `make demo` published; SIGTERM to make stops each."""

import os
import signal
import uuid

import duckdb
import pyarrow.parquet as pq
import pytest
import requests

from tests.operations.processes import (
    group_stopped,
    listening_addresses,
    start_make,
    stop,
    wait_for,
)
from tests.support import free_port

pytestmark = pytest.mark.slow

STOP_TIMEOUT = 60


def terminated(process) -> bool:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=STOP_TIMEOUT)
    return group_stopped(process.pid, STOP_TIMEOUT)


def test_make_collect_lands_an_event_with_the_demo_write_key(demo_clone, tmp_path):
    port, log = free_port(), tmp_path / "make_collect.log"
    demo_dir = tmp_path / "demo"  # the demo's raw folder stays as make demo left it
    target = ["collect", f"COLLECT_PORT={port}", f"DEMO_DIR={demo_dir}"]
    process = start_make(demo_clone, target, log)
    url, message_id = f"http://127.0.0.1:{port}", str(uuid.uuid4())
    event = {"userId": "demo-user", "event": "Product Viewed", "messageId": message_id}
    try:
        wait_for(f"{url}/health", process, log, timeout=60)
        assert listening_addresses(port) == {"127.0.0.1"}
        refused = requests.post(f"{url}/v1/track", json=event, auth=("wrong", ""), timeout=10)
        assert refused.status_code == 401
        accepted = requests.post(
            f"{url}/v1/track", json=event, auth=("demo-write-key", ""), timeout=10
        )
        assert accepted.status_code == 200, accepted.text
        assert terminated(process), log.read_text()[-3000:]
    finally:
        stop(process)
    landed = pq.read_table(demo_dir / "raw" / "tracks", columns=["id"])["id"].to_pylist()
    assert landed == [message_id]


def test_make_serve_answers_from_the_copy_the_demo_published(demo_clone, tmp_path):
    with duckdb.connect(str(demo_clone.warehouse), read_only=True) as con:
        user_id, person_id = con.execute(
            "select identifier_value, person_id from pii.dim_identities"
            " where identifier_type = 'user_id' order by identifier_value limit 1"
        ).fetchone()
    port, log = free_port(), tmp_path / "make_serve.log"
    process = start_make(demo_clone, ["serve", f"SERVE_PORT={port}"], log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/health", process, log, timeout=60)
        assert listening_addresses(port) == {"127.0.0.1"}
        profile_url = f"{url}/v1/profiles/user_id/{user_id}"
        assert requests.get(profile_url, timeout=10).status_code == 401
        answer = requests.get(
            profile_url, headers={"Authorization": "Bearer demo-api-token"}, timeout=10
        )
        assert answer.status_code == 200, answer.text
        profile = answer.json()
        assert profile["person_id"] == person_id
        assert profile["personalization"] and "segments" in profile
        assert terminated(process), log.read_text()[-3000:]
    finally:
        stop(process)
