"""A 2xx is not enough: each destination checks the answer its platform documents, and anything
else (an empty or bare body, a body that is not JSON or is cut off, a count that does not add
up) is retried, then fails the pair cleanly with the members left pending for the next run.
Failures never escape a pair: `--all` goes on with the next one. A request's deadline holds
however slowly its answer trickles in, and a 413 halves the batch down to single members."""

from __future__ import annotations

import logging

import duckdb
import pytest

from orchestration.cli import main
from orchestration.sync.destinations import DESTINATIONS
from tests.sync.conftest import SEGMENT, person, sync_args
from tests.sync.fakes import Fault
from tests.sync.platforms import CONNECTIONS, FAST_RETRY, PLATFORMS, SECRETS, write_config
from tests.sync.test_destinations import HTTP_DESTINATIONS

PEOPLE = [person(i) for i in range(30)]
ATTEMPTS = FAST_RETRY["max_attempts"]


def statuses(warehouse) -> dict[str, int]:
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        return dict(
            con.execute("select status, count(*) from sync.sync_state group by 1").fetchall()
        )


@pytest.mark.parametrize("kind", ["bare", "empty", "malformed", "truncated"])
@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_an_answer_without_the_documented_shape_is_retried(name, kind, warehouse, connect):
    platform = connect(name)
    warehouse.set_members(name, PEOPLE)
    platform.fake.inject(Fault(kind))
    run = platform.sync(warehouse)
    assert (run.status, run.added) == ("success", len(PEOPLE))
    assert run.retries >= 1
    assert platform.held(warehouse) == platform.expected(PEOPLE)


@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_a_platform_that_keeps_answering_bare_bodies_fails_the_pair_and_confirms_nobody(
    name, warehouse, connect
):
    platform = connect(name)
    warehouse.set_members(name, PEOPLE)
    platform.sync(warehouse)  # the audience exists; now members join
    later = PEOPLE + [person(i) for i in range(100, 110)]
    warehouse.set_members(name, later)
    platform.fake.inject(*[Fault("bare")] * ATTEMPTS)
    run = platform.sync(warehouse)
    assert (run.status, run.error_kind, run.added) == ("failed", "unavailable", 0)
    assert "without the documented answer" in run.error or "other than documented" in run.error
    assert "rejected" not in statuses(warehouse)  # pending, never rejected for good
    recovered = platform.sync(warehouse)
    assert (recovered.status, recovered.added) == ("success", 10)
    assert platform.held(warehouse) == platform.expected(later)


def test_meta_counts_a_short_num_received_as_not_received(warehouse, connect):
    platform = connect("meta_ads")
    warehouse.set_members("meta_ads", PEOPLE)
    original = platform.fake.handle

    def short(method, path, query, body):
        answer = original(method, path, query, body)
        if path.endswith("/users"):
            answer = answer | {"num_received": answer["num_received"] - 1}
        return answer

    platform.fake.handle = short
    run = platform.sync(warehouse)
    assert (run.status, run.error_kind) == ("failed", "unavailable")
    assert f"num_received {len(PEOPLE) - 1} of {len(PEOPLE)} rows sent" in run.error


def test_a_webhook_acknowledgement_must_count_the_members_sent(warehouse, connect):
    platform = connect("webhook")
    warehouse.set_members("webhook", PEOPLE)
    platform.fake.handle = lambda method, path, query, body: {"received": 1}
    run = platform.sync(warehouse)
    assert (run.status, run.added) == ("failed", 0)
    assert f"received 1 of {len(PEOPLE)} members sent" in run.error


def test_a_refusal_in_words_only_fails_the_pair_cleanly(warehouse, connect):
    """Google's errors are objects; a 400 whose error is a plain string is still a refusal."""
    platform = connect("google_ads")
    warehouse.set_members("google_ads", PEOPLE)
    platform.fake.inject(Fault("refused"))
    run = platform.sync(warehouse)
    assert (run.status, run.error_kind) == ("failed", "destination")
    assert run.error == "google_ads: POST /audienceMembers:ingest answered 400"


def test_an_unexpected_exception_inside_a_pair_is_recorded_not_raised(
    warehouse, connect, monkeypatch
):
    platform = connect("meta_ads")
    warehouse.set_members("meta_ads", PEOPLE)

    def broken(self, audience, batch):
        raise KeyError(f"token {SECRETS['META_TOKEN']} for {batch[0].identity['data'][0]}")

    monkeypatch.setattr(DESTINATIONS["meta_ads"], "add", broken)
    run = platform.sync(warehouse)
    assert (run.status, run.error_kind) == ("failed", "internal")
    assert run.error.startswith("KeyError at test_answers.py:")
    assert SECRETS["META_TOKEN"] not in run.error and "[secret]" in run.error
    assert "[hash]" in run.error
    assert statuses(warehouse) == {"pending_add": len(PEOPLE)}


def test_sync_all_goes_on_after_a_failing_pair_and_exits_1(warehouse, tmp_path, capsys):
    with PLATFORMS["meta_ads"]() as meta, PLATFORMS["webhook"]() as webhook:
        config = write_config(
            tmp_path / "both.yml",
            {
                "meta_ads": CONNECTIONS["meta_ads"] | {"base_url": meta.url},
                "webhook": CONNECTIONS["webhook"] | {"base_url": webhook.url},
            },
        )
        for name in ("meta_ads", "webhook"):
            warehouse.set_members(name, PEOPLE)
            warehouse.route(name)
        meta.inject(Fault("malformed"), *[Fault("refused")] * ATTEMPTS)
        code = main(sync_args(warehouse, config, "--all"))
        out = capsys.readouterr().out
        assert code == 1
        assert webhook.members(SEGMENT) == {p["person_id"] for p in PEOPLE}
    lines = out.splitlines()
    assert lines[1].split()[:4] == [SEGMENT, "meta_ads", "mirror", "failed"]
    assert lines[2].split()[:5] == [SEGMENT, "webhook", "mirror", "success", str(len(PEOPLE))]
    assert "Traceback" not in out


def test_an_answer_trickling_in_is_cut_at_the_deadline_and_retried(warehouse, connect, caplog):
    caplog.set_level(logging.INFO)
    platform = connect("meta_ads", timeout=0.5)  # deadline: 1 s a request
    platform.fake.trickle_seconds = 0.1  # a byte per read, each well inside the read timeout
    warehouse.set_members("meta_ads", PEOPLE)
    platform.fake.inject(Fault("slow"))
    run = platform.sync(warehouse)
    assert (run.status, run.retries) == ("success", 1)
    assert "deadline exceeded, retry 1" in caplog.text


@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_a_413_halves_the_batch_until_it_fits(name, warehouse, connect, monkeypatch):
    monkeypatch.setattr(DESTINATIONS[name], "batch_size", 16)
    platform = connect(name)
    platform.fake.too_large_over = 3
    warehouse.set_members(name, PEOPLE)
    run = platform.sync(warehouse)
    assert (run.status, run.added, run.rejected) == ("success", len(PEOPLE), 0)
    assert platform.held(warehouse) == platform.expected(PEOPLE)
    assert max(size for _, _, size in platform.fake.requests if size) <= 3


def test_a_single_member_too_large_for_the_platform_is_rejected_and_tried_again(warehouse, connect):
    platform = connect("webhook")
    platform.fake.too_large_over = 0
    warehouse.set_members("webhook", PEOPLE[:5])
    run = platform.sync(warehouse)
    assert (run.status, run.added, run.rejected) == ("partial", 0, 5)
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        errors = con.execute("select distinct error, is_transient from sync.sync_rejections")
        assert errors.fetchall() == [
            ("the platform refused the member as too large (HTTP 413)", True)
        ]
    platform.fake.too_large_over = None  # tried again on the next run, and it fits now
    again = platform.sync(warehouse)
    assert (again.status, again.added) == ("success", 5)
