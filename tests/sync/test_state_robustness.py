"""The sync state as operators and older versions leave it: statuses this version does not know,
payloads that cannot be read, tables copied without their primary key, and rows written before
source fingerprints and platform keys were stored. None of them may stop a run silently or send
members twice; each is either handled or refused with a message naming the fix."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest

from orchestration.cli import main
from orchestration.sync.state import PRIMARY_KEYS
from tests.sync.conftest import SEGMENT, count_prepare, person, sync_args

PEOPLE = [person(i) for i in range(20)]
# the state tables, each with the statement that copies it without its constraints
COPY_WITHOUT_KEY = (
    "create table sync.tmp as select * from sync.{table}; "
    "drop table sync.{table}; "
    "alter table sync.tmp rename to {table}"
)


def execute(path, statement: str, params: list | None = None) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(statement, params or [])


def query(path, statement: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(statement, params or []).fetchall()


def synced(connect, warehouse, name: str):
    """The fake platform `name` after a first successful sync of all of PEOPLE."""
    platform = connect(name)
    warehouse.set_members(name, PEOPLE)
    assert platform.sync(warehouse).status == "success"
    return platform


def state(path) -> dict[str, tuple]:
    """person_id -> (status, payload, source_fingerprint, keys) of every state row."""
    rows = query(
        path,
        "select person_id, status, payload, source_fingerprint, keys from sync.sync_state "
        "order by person_id",
    )
    return {row[0]: row[1:] for row in rows}


@pytest.mark.parametrize("name", ["webhook", "meta_ads"])
def test_an_unknown_status_of_a_departed_member_is_removed_and_its_state_goes(
    name, warehouse, connect
):
    platform = synced(connect, warehouse, name)
    departed = PEOPLE[4]["person_id"]
    execute(
        warehouse.path,
        "update sync.sync_state set status = 'paused_by_ops' where person_id = ?",
        [departed],
    )
    remaining = PEOPLE[:4] + PEOPLE[5:]
    warehouse.set_members(name, remaining)
    assert platform.expected(PEOPLE) <= platform.held(warehouse)  # still there before the run

    run = platform.sync(warehouse)

    assert (run.status, run.removed, run.added, run.rejected) == ("success", 1, 0, 0)
    assert platform.held(warehouse) == platform.expected(remaining)
    assert departed not in state(warehouse.path)
    assert len(state(warehouse.path)) == len(remaining)


def test_an_unknown_status_of_a_member_still_exported_is_sent_again_and_ends_synced(
    warehouse, connect
):
    platform = synced(connect, warehouse, "webhook")
    paused = PEOPLE[7]["person_id"]
    execute(
        warehouse.path,
        "update sync.sync_state set status = 'paused_by_ops' where person_id = ?",
        [paused],
    )
    # what the operator's pause did at the platform: the member is not there
    platform.fake.audiences[SEGMENT].discard(paused)
    sent_before = len(platform.fake.requests)

    run = platform.sync(warehouse)

    assert run.status == "success"
    assert (run.added + run.changed, run.removed, run.unchanged) == (1, 0, len(PEOPLE) - 1)
    assert [size for _, _, size in platform.fake.requests[sent_before:]] == [1]
    assert platform.held(warehouse) == platform.expected(PEOPLE)
    assert state(warehouse.path)[paused][0] == "synced"
    assert {row[0] for row in state(warehouse.path).values()} == {"synced"}


UNREADABLE_PAYLOADS = [
    "{not json",  # not JSON at all
    "[1, 2]",  # JSON, not an object
    "null",
    '"identity"',
    '{"attributes": {}}',  # an object without the identity
    '{"identity": ["a"], "attributes": {}}',  # an identity that is not an object
    '{"identity": {"person_id": "p0000005"}, "attributes": []}',
]


@pytest.mark.parametrize("payload", UNREADABLE_PAYLOADS)
@pytest.mark.parametrize("name", ["meta_ads", "webhook"])
def test_an_unreadable_payload_is_rejected_as_read_state_and_the_other_departures_go_on(
    name, payload, warehouse, connect
):
    platform = synced(connect, warehouse, name)
    unreadable = PEOPLE[5]
    execute(
        warehouse.path,
        "update sync.sync_state set payload = ? where person_id = ?",
        [payload, unreadable["person_id"]],
    )
    departed = PEOPLE[3:9]
    remaining = PEOPLE[:3] + PEOPLE[9:]
    warehouse.set_members(name, remaining)

    run = platform.sync(warehouse)

    # the run goes on, reports the member it could not remove, and removes every other
    assert run.error is None
    assert (run.status, run.removed, run.rejected) == ("partial", len(departed) - 1, 1)
    # the unreadable member cannot be removed: the platform keeps only them of the departed
    assert platform.held(warehouse) == platform.expected([*remaining, unreadable])
    assert set(state(warehouse.path)) == {p["person_id"] for p in [*remaining, unreadable]}
    rejections = query(
        warehouse.path,
        "select run_id, person_id, operation, error from sync.sync_rejections",
    )
    assert len(rejections) == 1
    run_id, person_id, operation, error = rejections[0]
    assert (run_id, person_id, operation) == (run.run_id, unreadable["person_id"], "read_state")
    assert "sync_state.payload" in error
    history = query(
        warehouse.path, "select status, rejected from sync.sync_runs where run_id = ?", [run.run_id]
    )
    assert history == [("partial", 1)]


@pytest.mark.parametrize("table", sorted(PRIMARY_KEYS))
def test_a_state_table_without_its_primary_key_fails_the_run_naming_the_table_and_the_fix(
    table, warehouse, connect
):
    platform = synced(connect, warehouse, "webhook")
    execute(warehouse.path, COPY_WITHOUT_KEY.format(table=table))
    later = PEOPLE[2:] + [person(i) for i in range(100, 103)]
    warehouse.set_members("webhook", later)
    sent_before = len(platform.fake.requests)

    run = platform.sync(warehouse)

    assert (run.status, run.error_kind) == ("failed", "state")
    assert f"sync.{table}" in run.error and "add primary key" in run.error
    assert platform.fake.requests[sent_before:] == []
    assert platform.held(warehouse) == platform.expected(PEOPLE)

    execute(warehouse.path, f"alter table sync.{table} add primary key ({primary_key(table)})")
    run = platform.sync(warehouse)
    assert (run.status, run.added, run.removed) == ("success", 3, 2)
    assert platform.held(warehouse) == platform.expected(later)


def primary_key(table: str) -> str:
    return ", ".join(PRIMARY_KEYS[table])


@pytest.mark.parametrize("table", sorted(PRIMARY_KEYS))
def test_the_error_of_a_table_without_its_primary_key_holds_the_whole_fix_statement(
    table, warehouse, connect
):
    """The stored and shown error is what an operator copies the fix from: the whole statement
    must be there, not a truncated one."""
    platform = synced(connect, warehouse, "webhook")
    execute(warehouse.path, COPY_WITHOUT_KEY.format(table=table))

    run = platform.sync(warehouse)

    assert run.error_kind == "state"
    assert f"alter table sync.{table} add primary key ({primary_key(table)})" in run.error


def test_the_sync_command_reports_a_state_table_without_its_primary_key_without_a_traceback(
    warehouse, connect, capsys
):
    platform = connect("webhook")
    warehouse.set_members("webhook", PEOPLE)
    warehouse.route("webhook")
    argv = sync_args(warehouse, platform.config_path, "--all")
    assert main(argv) == 0
    execute(warehouse.path, COPY_WITHOUT_KEY.format(table="sync_state"))
    capsys.readouterr()
    sent_before = len(platform.fake.requests)

    code = main(argv)

    output = capsys.readouterr()
    assert code == 1
    assert "sync.sync_state" in output.out + output.err
    assert "add primary key" in output.out + output.err
    assert platform.fake.requests[sent_before:] == []


@pytest.mark.parametrize("name", ["meta_ads", "webhook"])
def test_a_state_from_an_earlier_version_is_upgraded_without_sending_anything(
    name, warehouse, connect, monkeypatch
):
    platform = synced(connect, warehouse, name)
    written = state(warehouse.path)
    assert all(row[2] and row[3] for row in written.values())
    execute(warehouse.path, "update sync.sync_state set source_fingerprint = null, keys = null")
    sent_before = len(platform.fake.requests)

    run = platform.sync(warehouse)

    assert run.status == "success"
    assert platform.fake.requests[sent_before:] == []  # no add and no remove request
    assert (run.added, run.removed, run.changed, run.batches) == (0, 0, 0, 0)
    assert run.unchanged == len(PEOPLE)
    upgraded = state(warehouse.path)
    # statuses, payloads and source fingerprints as an up-to-date run stores them
    assert {pid: row[:3] for pid, row in upgraded.items()} == {
        pid: row[:3] for pid, row in written.items()
    }

    calls = count_prepare(monkeypatch, name)
    run = platform.sync(warehouse)
    assert (run.status, run.unchanged) == ("success", len(PEOPLE))
    assert calls == Counter()
    assert platform.held(warehouse) == platform.expected(PEOPLE)
    # and the platform keys, which removals are narrowed by
    assert {pid: row[3] for pid, row in state(warehouse.path).items()} == {
        pid: row[3] for pid, row in written.items()
    }


@pytest.mark.parametrize("upgraded", [False, True], ids=["current", "upgraded"])
def test_a_departure_never_takes_off_a_staying_member_sharing_its_email(
    upgraded, warehouse, connect
):
    """Two persons share an email (and nothing else): the platform holds one record matched by
    it. The state must know the staying person holds that email, so the departing person's
    removal does not name it, also once a state from an earlier version (no keys) went through
    its upgrade run."""
    platform = connect("meta_ads")
    shared = person(1) | {"person_id": "p9000001", "phone_e164": None}
    staying = person(1) | {"phone_e164": None}
    people = [staying, shared, *PEOPLE[2:6]]
    warehouse.set_members("meta_ads", people)
    assert platform.sync(warehouse).status == "success"
    if upgraded:
        execute(warehouse.path, "update sync.sync_state set source_fingerprint = null, keys = null")
        assert platform.sync(warehouse).status == "success"  # the upgrade run

    later = [staying, *PEOPLE[2:6]]
    warehouse.set_members("meta_ads", later)
    run = platform.sync(warehouse)

    assert (run.status, run.removed) == ("success", 1)
    assert platform.held(warehouse) == platform.expected(later)
