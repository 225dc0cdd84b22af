"""Change syncs: a run prepares and sends only the members whose export row changed since the
state (new members, changed rows, departures), whatever the audience's size. A row changed only
in a column the destination does not send is prepared once, found unchanged and never prepared
again; a dry run prepares but writes no state; large changes are prepared in worker processes
with the same outcome as in the calling process."""

from __future__ import annotations

import threading
from collections import Counter

import duckdb
import pytest

from orchestration.sync import prepare as prepare_module
from orchestration.sync.destinations import DESTINATIONS
from tests.sync.conftest import Warehouse, count_prepare, person

STATE_QUERY = (
    "select person_id, fingerprint, identity_fingerprint, payload, keys, source_fingerprint "
    "from sync.sync_state order by person_id"
)
# destination -> (whether it sends postal_code, whether the email is part of the identity a
# removal names)
TRAITS = {"webhook": (False, False), "meta_ads": (True, True), "hubspot": (False, True)}


def record_sent(monkeypatch: pytest.MonkeyPatch, name: str) -> dict[str, Counter]:
    """Counts, by operation and person, the members the destination class's `add` and `remove`
    are given (batches go out on several threads)."""
    cls = DESTINATIONS[name]
    sent: dict[str, Counter] = {"add": Counter(), "remove": Counter()}
    lock = threading.Lock()

    def wrap(operation: str):
        original = getattr(cls, operation)

        def wrapped(self, audience, batch, *rest):
            with lock:
                sent[operation].update(p.person_id for p in batch)
            return original(self, audience, batch, *rest)

        return wrapped

    for operation in sent:
        monkeypatch.setattr(cls, operation, wrap(operation))
    return sent


def ids(people: list[dict]) -> set[str]:
    return {p["person_id"] for p in people}


def once(people: list[dict]) -> Counter:
    return Counter(ids(people))


def state_rows(path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(STATE_QUERY).fetchall()


@pytest.mark.parametrize("name", sorted(TRAITS))
def test_a_change_prepares_and_sends_only_the_joined_and_changed_members(
    name, warehouse, connect, monkeypatch
):
    sends_postal_code, email_in_identity = TRAITS[name]
    platform = connect(name)
    people = [person(i) for i in range(300)]
    warehouse.set_members(name, people)
    first = platform.sync(warehouse)
    assert (first.status, first.added) == ("success", 300)

    left = people[:10]
    email_changed = [p | {"email": f"moved.{p['email']}"} for p in people[20:25]]
    postal_changed = [people[30] | {"postal_code": "10001"}]
    joined = [person(i) for i in range(300, 315)]
    untouched = people[10:20] + people[25:30] + people[31:]
    later = untouched + email_changed + postal_changed + joined
    warehouse.set_members(name, later)
    prepared = count_prepare(monkeypatch, name)
    sent = record_sent(monkeypatch, name)

    run = platform.sync(warehouse)

    assert run.status == "success"
    assert prepared == once(joined + email_changed + postal_changed)
    sent_changes = email_changed + (postal_changed if sends_postal_code else [])
    assert sent["add"] == once(joined + sent_changes)
    assert sent["remove"] == once(left + (email_changed if email_in_identity else []))
    assert (run.added, run.removed, run.changed) == (len(joined), len(left), len(sent_changes))
    assert run.unchanged == len(untouched) + (0 if sends_postal_code else 1)
    assert platform.held(warehouse) == platform.expected(later)

    prepared.clear()
    sent["add"].clear()
    sent["remove"].clear()
    again = platform.sync(warehouse)
    assert (again.status, again.unchanged, again.added, again.removed) == (
        "success",
        len(later),
        0,
        0,
    )
    assert prepared == Counter() and sent == {"add": Counter(), "remove": Counter()}


@pytest.mark.parametrize("name", ["mailchimp", "hubspot", "webhook"])
def test_a_row_changed_only_in_a_column_not_sent_is_unchanged_and_not_prepared_again(
    name, warehouse, connect, monkeypatch
):
    platform = connect(name)
    people = [person(i) for i in range(20)]
    warehouse.set_members(name, people)
    assert platform.sync(warehouse).status == "success"
    before = {row[0]: row for row in state_rows(warehouse.path)}
    moved = people[3] | {"postal_code": "10001"}
    warehouse.set_members(name, [*people[:3], moved, *people[4:]])
    requests_before = len(platform.fake.requests)
    prepared = count_prepare(monkeypatch, name)
    sent = record_sent(monkeypatch, name)

    run = platform.sync(warehouse)

    assert (run.status, run.unchanged, run.added, run.changed, run.removed) == (
        "success",
        len(people),
        0,
        0,
        0,
    )
    assert prepared == once([moved])
    assert sent == {"add": Counter(), "remove": Counter()}
    assert platform.fake.requests[requests_before:] == []
    after = {row[0]: row for row in state_rows(warehouse.path)}
    pid = moved["person_id"]
    # what was sent stays; the source fingerprint is the new row's
    assert after[pid][:5] == before[pid][:5]
    assert after[pid][5] != before[pid][5]
    assert {k: v for k, v in after.items() if k != pid} == {
        k: v for k, v in before.items() if k != pid
    }

    prepared.clear()
    again = platform.sync(warehouse)
    assert (again.status, again.unchanged) == ("success", len(people))
    assert prepared == Counter()
    assert platform.held(warehouse) == platform.expected(people)


def test_a_dry_run_prepares_the_candidates_and_writes_no_state(warehouse, connect, monkeypatch):
    platform = connect("meta_ads")
    people = [person(i) for i in range(40)]
    warehouse.set_members("meta_ads", people)
    assert platform.sync(warehouse).status == "success"
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        state_before = con.execute("select * from sync.sync_state order by person_id").fetchall()
    left = people[:2]
    email_changed = [p | {"email": f"moved.{p['email']}"} for p in people[5:7]]
    postal_changed = [people[9] | {"postal_code": "10001"}]
    joined = [person(i) for i in range(100, 103)]
    later = people[2:5] + email_changed + people[7:9] + postal_changed + people[10:] + joined
    warehouse.set_members("meta_ads", later)
    requests_before = len(platform.fake.requests)
    prepared = count_prepare(monkeypatch, "meta_ads")

    run = platform.sync(warehouse, dry_run=True)

    assert run.status == "dry_run"
    assert prepared == once(joined + email_changed + postal_changed)
    assert (run.added, run.removed, run.changed) == (len(joined), len(left), 3)
    assert platform.fake.requests[requests_before:] == []
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        assert con.execute("select * from sync.sync_state order by person_id").fetchall() == (
            state_before
        )
        assert con.execute("select count(*) from sync.sync_rejections").fetchone() == (0,)
    assert platform.held(warehouse) == platform.expected(people)

    # the dry run left the candidates to the real run, which prepares them once more
    prepared.clear()
    real = platform.sync(warehouse)
    assert (real.status, real.added, real.removed, real.changed) == (
        "success",
        len(joined),
        len(left),
        3,
    )
    assert prepared == once(joined + email_changed + postal_changed)
    assert platform.held(warehouse) == platform.expected(later)


@pytest.mark.parametrize("name", ["meta_ads", "mailchimp"])
def test_a_large_change_prepared_in_worker_processes_ends_as_one_prepared_in_process(
    name, warehouse, connect, monkeypatch, tmp_path
):
    """Worker processes are started with spawn, so they see none of the patches: the parent
    alone decides to use them and how to chunk, and the prepare counter (patched here) stays
    at zero while workers prepare."""
    monkeypatch.setattr(prepare_module, "PARALLEL_FROM", 50)
    monkeypatch.setattr(prepare_module, "CHUNK_ROWS", 40)
    # 20-member batches make 40-row chunks: 13 of them, more than the 4 kept ahead
    monkeypatch.setattr(DESTINATIONS[name], "batch_size", 20)
    monkeypatch.setenv("AUDIENCE_SYNC_WORKERS", "2")
    platform = connect(name)
    people = [person(i) for i in range(500)]
    warehouse.set_members(name, people)
    expected = platform.expected(people)
    prepared_here = count_prepare(monkeypatch, name)

    run = platform.sync(warehouse)

    assert (run.status, run.added, run.invalid, run.rejected) == ("success", 500, 0, 0)
    assert run.batches == 25
    assert prepared_here == Counter()  # every member was prepared in a worker
    assert platform.held(warehouse) == expected
    parallel = state_rows(warehouse.path)
    assert len(parallel) == 500

    in_process = Warehouse(tmp_path / "in_process.duckdb")
    in_process.record_check(passed=True)
    in_process.set_members(name, people)
    monkeypatch.setattr(prepare_module, "PARALLEL_FROM", 10**9)
    run = platform.sync(in_process)
    assert (run.status, run.added) == ("success", 500)
    assert prepared_here == once(people)
    assert platform.held(in_process) == expected
    assert state_rows(in_process.path) == parallel


@pytest.mark.parametrize("value", ["two", "0", "-1", "1.5"])
def test_a_bad_worker_count_is_a_configuration_error_naming_the_variable(
    value, warehouse, connect, monkeypatch
):
    monkeypatch.setattr(prepare_module, "PARALLEL_FROM", 5)
    monkeypatch.setenv("AUDIENCE_SYNC_WORKERS", value)
    platform = connect("webhook")
    warehouse.set_members("webhook", [person(i) for i in range(10)])
    run = platform.sync(warehouse)
    assert (run.status, run.error_kind) == ("failed", "configuration")
    assert run.error == (
        "environment variable AUDIENCE_SYNC_WORKERS: expected a whole number of worker "
        f"processes, 1 or more, got {value!r}"
    )
