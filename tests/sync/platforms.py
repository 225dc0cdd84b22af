"""The fake platforms and the sync configuration that points at them, for the sync tests and
the Dagster runs that sync."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.sync import fakes

SECRETS = {
    "META_TOKEN": "meta-token",
    "GOOGLE_TOKEN": "google-token",
    "MAILCHIMP_KEY": "mailchimp-key",
    "KLAVIYO_KEY": "klaviyo-key",
    "HUBSPOT_TOKEN": "hubspot-token",
    "WEBHOOK_SECRET": "webhook-secret",
}
# Customer Match lists are configured, not created: one per segment that syncs to Google
GOOGLE_SEGMENTS = ["churn_risk", "high_purchase_intent", "hot_prospects", "high_value_customers"]
GOOGLE_LISTS = [f"list-{segment}" for segment in GOOGLE_SEGMENTS]
PLATFORMS = {
    "meta_ads": lambda: fakes.FakeMeta("meta-token"),
    "google_ads": lambda: fakes.FakeGoogle("google-token", GOOGLE_LISTS),
    "mailchimp": lambda: fakes.FakeMailchimp("mailchimp-key", "L1"),
    "klaviyo": lambda: fakes.FakeKlaviyo("klaviyo-key"),
    "hubspot": lambda: fakes.FakeHubSpot("hubspot-token"),
    "webhook": lambda: fakes.FakeWebhook("webhook-secret"),
}
CONNECTIONS = {
    "meta_ads": {
        "credentials": {"access_token": "META_TOKEN"},
        "options": {"ad_account_id": "act_42"},
    },
    "google_ads": {
        "credentials": {"access_token": "GOOGLE_TOKEN"},
        "options": {"operating_account_id": "1234567890"},
        "audiences": {segment: f"list-{segment}" for segment in GOOGLE_SEGMENTS},
    },
    "mailchimp": {"credentials": {"api_key": "MAILCHIMP_KEY"}, "options": {"list_id": "L1"}},
    "klaviyo": {"credentials": {"api_key": "KLAVIYO_KEY"}, "options": {"poll_seconds": 0.01}},
    "hubspot": {"credentials": {"access_token": "HUBSPOT_TOKEN"}},
    "webhook": {"credentials": {"signing_secret": "WEBHOOK_SECRET"}},
}
FAST_RETRY = {"max_attempts": 5, "base_delay_seconds": 0.01, "max_delay_seconds": 0.05}


def write_config(path: Path, destinations: dict, timeout: float = 30) -> Path:
    """The destinations' configuration with fast retries; a request's deadline is twice the
    read timeout."""
    retry = FAST_RETRY | {"timeout_seconds": timeout, "deadline_seconds": 2 * timeout}
    path.write_text(yaml.safe_dump({"retry": retry, "destinations": destinations}))
    return path


@contextlib.contextmanager
def all_platforms(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[dict, Path]]:
    """Every fake platform running, the secrets set, and one configuration for all
    destinations (files written under folder/files)."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    with contextlib.ExitStack() as stack:
        running = {name: stack.enter_context(start()) for name, start in PLATFORMS.items()}
        destinations = {
            name: CONNECTIONS[name] | {"base_url": fake.url} for name, fake in running.items()
        }
        destinations["files"] = {"base_url": str(folder / "files"), "options": {"format": "csv"}}
        yield running, write_config(folder / "sync.yml", destinations)
