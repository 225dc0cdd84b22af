"""Retries, backoff and rate limits of the destinations' HTTP client, and configuration errors
that name the file, the field and what was expected."""

from __future__ import annotations

import email.utils
import random
from pathlib import Path

import pytest

from orchestration.sync.config import DestinationConfig, RetryPolicy, SyncConfigError, load_config
from orchestration.sync.http import (
    DestinationError,
    DestinationUnavailable,
    HttpClient,
    RateLimiter,
    retry_after_seconds,
)
from tests.sync.fakes import FakeWebhook, Fault, Reply


class Echo(FakeWebhook):
    """Answers every request with 200 unless a fault or a status says otherwise."""

    status = 200

    def check_auth(self, headers, raw):
        pass

    def handle(self, method, path, query, body):
        if self.status != 200:
            raise Reply(self.status, {"error": "refused"})
        self.requests.append((method, path, 0))
        return {"ok": True}


def client(
    url: str, sleeps: list[float], attempts: int = 4, rate: float | None = None
) -> HttpClient:
    config = DestinationConfig(
        name="echo",
        path=Path("destinations.yml"),
        base_url=url,
        requests_per_second=rate,
        retry=RetryPolicy(
            attempts, base_delay_seconds=0.5, max_delay_seconds=4, timeout_seconds=0.3
        ),
    )
    return HttpClient(config, sleep=sleeps.append, rng=random.Random(1))


def test_retry_after_is_honoured_and_backoff_is_jittered_exponential():
    with Echo("") as fake:
        sleeps: list[float] = []
        fake.inject(Fault("429", retry_after="3"), *[Fault("500", retry_after=None)] * 2)
        http = client(fake.url, sleeps)
        assert http.request("POST", "/x", json={}).body == {"ok": True}
        assert sleeps[0] == 3.0  # Retry-After
        assert 0 <= sleeps[1] <= 0.5 * 2**1 and 0 <= sleeps[2] <= 0.5 * 2**2  # full jitter
        assert (http.requests_sent, http.retries) == (4, 3)


def test_timeouts_are_retried():
    with Echo("") as fake:
        fake.hold_seconds = 0.6
        sleeps: list[float] = []
        fake.inject(Fault("timeout"))
        http = client(fake.url, sleeps)
        assert http.request("GET", "/x").status == 200
        assert http.retries == 1


def test_giving_up_after_the_last_attempt():
    with Echo("") as fake:
        fake.inject(*[Fault("500")] * 4)
        with pytest.raises(DestinationUnavailable, match="HTTP 500 after 4 attempts"):
            client(fake.url, []).request("GET", "/x")


def test_a_permanent_refusal_is_not_retried():
    with Echo("") as fake:
        fake.status = 400
        http = client(fake.url, [])
        with pytest.raises(DestinationError, match="answered 400") as raised:
            http.request("POST", "/x", json={})
        assert raised.value.body == {"error": "refused"}
        assert http.requests_sent == 1


def test_retry_after_as_an_http_date():
    later = email.utils.formatdate(1_000_030, usegmt=True)
    assert retry_after_seconds(later, now=1_000_000) == pytest.approx(30)
    assert retry_after_seconds("garbage") is None
    assert retry_after_seconds("-5") == 0


def test_backoff_stays_within_the_maximum_after_any_number_of_attempts():
    http = client("http://127.0.0.1:9", [])
    assert all(0 <= http.backoff(attempt) <= 4 for attempt in (0, 3, 64, 1100, 5000))


def test_rate_limiter_spaces_requests_evenly():
    now = [0.0]
    sleeps: list[float] = []
    limiter = RateLimiter(4, clock=lambda: now[0], sleep=sleeps.append)
    for _ in range(5):
        limiter.wait()
    assert sleeps == [0.25, 0.5, 0.75, 1.0]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "destinations.yml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("destinations: []", r"destinations: expected a mapping of destination names"),
        ("destinations: {m: {base_url: x, mode: sometimes}}",
         r"destinations.m.mode: expected one of \['mirror', 'upsert', 'additive', "
         r"'full_replace'\], got 'sometimes'"),
        ("destinations: {m: {mode: mirror}}", r"destinations.m.base_url: expected a URL"),
        ("destinations: {m: {base_url: x, token: abc}}", r"destinations.m: unknown keys"),
        ("destinations: {m: {base_url: x, requests_per_second: 0}}",
         r"destinations.m.requests_per_second: expected a positive number, got 0"),
        ("retry: {max_attempts: -1}\ndestinations: {}", r"retry.max_attempts: expected a positive"),
        ("destinations: [unclosed", r"cannot read the sync configuration"),
    ],
)  # fmt: skip
def test_bad_configuration_names_the_file_and_field(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SyncConfigError, match=message) as raised:
        load_config(path)
    assert str(path) in str(raised.value)


def test_a_missing_credential_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("NOT_SET_TOKEN", raising=False)
    path = write(
        tmp_path,
        "destinations: {hubspot: {base_url: x, credentials: {access_token: NOT_SET_TOKEN}}}",
    )
    config = load_config(path)["hubspot"]
    with pytest.raises(
        SyncConfigError,
        match=r"credentials.access_token: environment variable NOT_SET_TOKEN is not set",
    ):
        config.secret("access_token")


def test_the_shipped_configuration_loads_every_destination():
    from orchestration.sync.destinations import DESTINATIONS

    assert set(load_config()) == set(DESTINATIONS)
