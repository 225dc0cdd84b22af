"""Every HTTP destination against its fake platform: batches at the documented limit, the
audience equal to the export after adds, removes and changes, retries through injected
faults, per-row rejects that never fail the rest of the batch, and auth failures."""

from __future__ import annotations

import duckdb
import pytest

from tests.sync.conftest import SEGMENT, person
from tests.sync.fakes import Fault

HTTP_DESTINATIONS = ["meta_ads", "google_ads", "mailchimp", "klaviyo", "hubspot", "webhook"]
# one member more than a full batch, so a request at the exact limit is sent
SIZES = {"meta_ads": 10_001, "google_ads": 10_001, "mailchimp": 501, "klaviyo": 1_001,
         "hubspot": 101, "webhook": 1_001}  # fmt: skip
LIMITS = {"meta_ads": 10_000, "google_ads": 10_000, "mailchimp": 500, "klaviyo": 1_000,
          "hubspot": 100, "webhook": 1_000}  # fmt: skip


def reject_key(name: str, destination, member: dict) -> str:
    """The value the fake recognises a member by when told to reject it."""
    prepared = destination.prepare(member)
    return {
        "meta_ads": lambda: next(v for v in prepared.identity["data"] if v),
        "google_ads": lambda: prepared.identity["userIdentifiers"][0]["emailAddress"],
        "mailchimp": lambda: prepared.identity["email_address"],
        "klaviyo": lambda: prepared.identity["email"],
        "hubspot": lambda: prepared.identity["email"],
        "webhook": lambda: prepared.person_id,
    }[name]()


def state_rows(warehouse, status: str | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        return con.execute(
            "select person_id, status, last_error, is_error_transient from sync.sync_state "
            "where status = coalesce(?, status) order by person_id",
            [status],
        ).fetchall()


@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_adds_removes_and_changes_reach_the_platform_in_full_batches(name, warehouse, connect):
    platform = connect(name)
    people = [person(i) for i in range(SIZES[name])]
    warehouse.set_members(name, people)

    first = platform.sync(warehouse)
    assert (first.status, first.added, first.removed) == ("success", len(people), 0)
    assert platform.held(warehouse) == platform.expected(people)
    sizes = [size for _, _, size in platform.fake.requests if size]
    assert max(sizes) == LIMITS[name]

    changed = [p | {"email": "new." + p["email"]} for p in people[:5]]
    later = changed + people[5 : len(people) - 20] + [person(i) for i in range(10**6, 10**6 + 7)]
    warehouse.set_members(name, later)
    second = platform.sync(warehouse)
    assert (second.status, second.added, second.removed, second.changed) == ("success", 7, 20, 5)
    assert platform.held(warehouse) == platform.expected(later)

    requests_before = len(platform.fake.requests)
    third = platform.sync(warehouse)
    assert (third.added, third.removed, third.changed, third.unchanged) == (0, 0, 0, len(later))
    assert len(platform.fake.requests) == requests_before


@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_retries_through_429_500_and_timeouts(name, warehouse, connect):
    platform = connect(name, timeout=0.5)
    people = [person(i) for i in range(150)]
    warehouse.set_members(name, people)
    platform.fake.inject(
        Fault("429", retry_after="0"), Fault("500"), Fault("timeout_after_apply"), Fault("timeout")
    )
    run = platform.sync(warehouse)
    assert run.status == "success"
    assert run.retries == 4
    assert platform.held(warehouse) == platform.expected(people)


@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_a_rejected_member_never_fails_the_others(name, warehouse, connect):
    platform = connect(name)
    people = [person(i) for i in range(120)]
    warehouse.set_members(name, people)
    destination = platform.destination()
    bad = [people[3], people[77]]
    platform.fake.rejecting = {reject_key(name, destination, p): "invalid identifier" for p in bad}

    run = platform.sync(warehouse)
    assert (run.status, run.added, run.rejected) == ("partial", 118, 2)
    assert platform.held(warehouse) == platform.expected(people[:3] + people[4:77] + people[78:])
    rejected = state_rows(warehouse, "rejected")
    assert [row[0] for row in rejected] == [p["person_id"] for p in bad]
    assert all(row[2] and row[3] is False for row in rejected)

    # a permanent reject is not sent again while the member is unchanged
    requests_before = len(platform.fake.requests)
    again = platform.sync(warehouse)
    assert (again.added, again.rejected) == (0, 2)
    assert len(platform.fake.requests) == requests_before

    # fixed upstream (a new email): sent again, and accepted
    platform.fake.rejecting = {}
    fixed = [p | {"email": "fixed." + p["email"]} if p in bad else p for p in people]
    warehouse.set_members(name, fixed)
    last = platform.sync(warehouse)
    assert (last.status, last.added, last.rejected) == ("success", 2, 0)
    assert platform.held(warehouse) == platform.expected(fixed)


@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_bad_credentials_fail_the_run_without_showing_the_secret(
    name, warehouse, connect, monkeypatch
):
    platform = connect(name)
    warehouse.set_members(name, [person(i) for i in range(10)])
    secret = {
        "meta_ads": "META_TOKEN", "google_ads": "GOOGLE_TOKEN", "mailchimp": "MAILCHIMP_KEY",
        "klaviyo": "KLAVIYO_KEY", "hubspot": "HUBSPOT_TOKEN", "webhook": "WEBHOOK_SECRET",
    }[name]  # fmt: skip
    monkeypatch.setenv(secret, "wrong-secret-value")
    run = platform.sync(warehouse)
    assert run.status == "failed"
    assert "wrong-secret-value" not in run.error
    assert run.added == 0


def test_a_platform_that_stays_down_fails_the_run_and_the_next_run_catches_up(warehouse, connect):
    platform = connect("meta_ads")
    people = [person(i) for i in range(50)]
    warehouse.set_members("meta_ads", people)
    platform.sync(warehouse)
    later = people[10:] + [person(i) for i in range(500, 520)]
    warehouse.set_members("meta_ads", later)
    platform.fake.inject(*[Fault("500")] * 5)
    down = platform.sync(warehouse)
    assert down.status == "failed" and "HTTP 500 after 5 attempts" in down.error
    assert {row[1] for row in state_rows(warehouse)} >= {"pending_remove"}
    recovered = platform.sync(warehouse)
    assert recovered.status == "success"
    assert platform.held(warehouse) == platform.expected(later)


def test_mailchimp_never_has_more_than_10_requests_in_flight(warehouse, connect):
    platform = connect("mailchimp")
    platform.fake.latency_seconds = 0.05
    warehouse.set_members("mailchimp", [person(i) for i in range(8_000)])
    assert platform.sync(warehouse).status == "success"
    assert 1 < platform.fake.max_in_flight <= 10


def test_the_webhook_signs_every_request_and_repeats_the_idempotency_key_on_retry(
    warehouse, connect
):
    platform = connect("webhook", timeout=0.5)
    warehouse.set_members("webhook", [person(i) for i in range(10)])
    platform.fake.inject(Fault("timeout_after_apply"))
    assert platform.sync(warehouse).status == "success"
    keys = platform.fake.idempotency_keys
    assert len(keys) == 2 and keys[0] == keys[1]


def test_google_lists_must_be_configured(warehouse, connect):
    platform = connect("google_ads")
    warehouse.set_members("google_ads", [person(1)], segment="other_segment")
    run = platform.sync(warehouse, segment="other_segment")
    assert (run.status, run.error_kind) == ("failed", "configuration")
    assert "destinations.google_ads.audiences.other_segment" in run.error
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        stored = con.execute("select status, error_kind, error from sync.sync_runs").fetchone()
    assert stored == ("failed", "configuration", run.error)


def test_audiences_are_created_once_and_remembered(warehouse, connect):
    platform = connect("hubspot")
    warehouse.set_members("hubspot", [person(i) for i in range(5)])
    platform.sync(warehouse)
    audience = platform.audience_id(warehouse)
    warehouse.set_members("hubspot", [person(i) for i in range(6)])
    platform.sync(warehouse)
    assert platform.audience_id(warehouse) == audience
    assert len(platform.fake.lists) == 1
    assert SEGMENT
