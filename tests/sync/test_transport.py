"""HTTPS is required and credentials never leave the configured host: base URLs are checked when
a destination is built (https, or plain http to a loopback address; no credentials, query string
or unreadable port in them), credentials are named by variable, never pasted, and neither a
pagination link nor a redirect takes a request to another host."""

from __future__ import annotations

import pytest

from orchestration.sync.config import SyncConfigError, load_config
from orchestration.sync.destinations import build_destination
from orchestration.sync.destinations.meta_ads import MetaAds
from orchestration.sync.engine import run_sync
from orchestration.warehouse import connect_file
from tests.sync.conftest import SEGMENT, person
from tests.sync.fakes import FakeKlaviyo, FakePlatform, FakeWebhook, Reply
from tests.sync.platforms import CONNECTIONS, write_config

FIELD = "destinations.meta_ads.base_url"
HTTPS_EXPECTED = "expected an https:// URL"


def meta(tmp_path, **body):
    path = write_config(tmp_path / "meta.yml", {"meta_ads": CONNECTIONS["meta_ads"] | body})
    return build_destination(load_config(path)["meta_ads"])


def sync(tmp_path, warehouse, name, fake, people):
    body = CONNECTIONS[name] | {"base_url": fake.url}
    path = write_config(tmp_path / f"{name}.yml", {name: body})
    warehouse.set_members(name, people)
    with connect_file(warehouse.path) as con:
        return run_sync(con, build_destination(load_config(path)[name]), SEGMENT)


class Elsewhere(FakePlatform):
    """Another host: records every request that reaches it, and answers an empty page."""

    def __init__(self):
        super().__init__()
        self.seen: list[tuple[str, str, dict]] = []

    def _dispatch(self, method, path, headers, raw):
        self.seen.append((method, path, dict(headers)))
        return super()._dispatch(method, path, headers, raw)

    def check_auth(self, headers, raw):
        pass

    def handle(self, method, path, query, body):
        return {"data": [], "links": {"next": None}}


class LinkingKlaviyo(FakeKlaviyo):
    """Klaviyo whose import-job pages name `next_link(path)` as their next page."""

    def next_link(self, path: str) -> str | None:
        return None

    def _page(self, path, query, items):
        return {"data": items, "links": {"next": self.next_link(path)}}


class RedirectingWebhook(FakeWebhook):
    """A webhook that answers a POST to / with 307 to `location`, and any other path as the
    webhook does."""

    location = ""

    def handle(self, method, path, query, body):
        if path == "/":
            raise Reply(307, None, {"Location": self.location})
        return super().handle(method, path, query, body)


def test_plain_http_to_a_remote_host_is_refused_naming_the_field(tmp_path):
    with pytest.raises(SyncConfigError) as refused:
        meta(tmp_path, base_url="http://graph.example.com/v25.0")
    assert f"{FIELD}: {HTTPS_EXPECTED}" in str(refused.value)
    assert "got http://graph.example.com" in str(refused.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://graph.example.com/v25.0",
        "http://127.0.0.1:1234",
        "http://localhost:1234",
        "http://[::1]:1234",
    ],
)
def test_https_and_plain_http_to_a_loopback_address_build(url, tmp_path):
    destination = meta(tmp_path, base_url=url)
    assert isinstance(destination, MetaAds)
    assert destination.http.config.base_url == url


def test_a_plain_http_url_from_the_environment_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIENCE_SYNC_META_ADS_BASE_URL", "http://graph.example.com/v25.0")
    with pytest.raises(SyncConfigError) as refused:
        meta(tmp_path, base_url="https://graph.example.com/v25.0")
    message = str(refused.value)
    assert f"environment variable AUDIENCE_SYNC_META_ADS_BASE_URL: {HTTPS_EXPECTED}" in message
    assert FIELD not in message


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://user:hunter2secret@api.example.com", "with credentials in it"),
        ("https://hunter2secret@api.example.com", "with credentials in it"),
        ("https://api.example.com/v1?access_token=hunter2secret", "with a query string"),
        ("https://api.example.com/v1#hunter2secret", "fragment"),
    ],
)
def test_a_base_url_carrying_a_secret_is_refused_without_showing_it(url, problem, tmp_path):
    with pytest.raises(SyncConfigError) as refused:
        meta(tmp_path, base_url=url)
    assert f"{FIELD}: {HTTPS_EXPECTED}" in str(refused.value)
    assert problem in str(refused.value)
    assert "hunter2secret" not in str(refused.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://graph.example.com:44x3/v25.0",
        "https://graph.example.com:70000/v25.0",
        "https://[::1/v25.0",
    ],
)
def test_a_base_url_that_cannot_be_parsed_is_a_configuration_error_naming_the_field(url, tmp_path):
    """Not a bare ValueError: `audience sync --all` reports SyncConfigError and goes on to the
    next destination, any other error stops the whole command."""
    with pytest.raises(SyncConfigError) as refused:
        meta(tmp_path, base_url=url)
    assert FIELD in str(refused.value)


@pytest.mark.parametrize("pasted", ["EAAB-xyz.token", "Bearer abc123", "sk/live+xyz==", "a b"])
def test_a_pasted_secret_under_credentials_is_refused_without_echoing_it(pasted, tmp_path):
    body = CONNECTIONS["meta_ads"] | {
        "base_url": "https://graph.example.com/v25.0",
        "credentials": {"access_token": pasted},
    }
    path = write_config(tmp_path / "meta.yml", {"meta_ads": body})
    with pytest.raises(SyncConfigError) as refused:
        load_config(path)
    field = "destinations.meta_ads.credentials.access_token"
    assert f"{field}: expected the name of an environment variable" in str(refused.value)
    assert pasted not in str(refused.value)


@pytest.mark.parametrize("link", ["other_host", "backslash_userinfo", "relative_at"])
def test_a_next_page_on_another_host_is_not_followed_and_gets_no_api_key(link, tmp_path, warehouse):
    """other_host: an absolute link to another server. backslash_userinfo: a link that Python's
    urlsplit reads as the configured host (after a backslash and '@') while requests sends it to
    the host before the backslash. relative_at: a relative link starting with '@', which, glued
    to the base URL, makes the configured host a user name and another server the host."""
    with Elsewhere() as other, LinkingKlaviyo("klaviyo-key") as klaviyo:
        other_host = other.url.removeprefix("http://")
        own_host = klaviyo.url.removeprefix("http://")
        klaviyo.next_link = {
            "other_host": lambda path: f"{other.url}{path}?page[cursor]=100",
            "backslash_userinfo": lambda path: f"{other.url}\\@{own_host}{path}",
            "relative_at": lambda path: f"@{other_host}{path}",
        }[link]
        run = sync(tmp_path, warehouse, "klaviyo", klaviyo, [person(i) for i in range(3)])
    assert "Klaviyo-API-Key klaviyo-key" not in [h.get("Authorization") for *_, h in other.seen]
    assert other.seen == []
    assert (run.status, run.error_kind) == ("failed", "destination")
    assert "a link to another host was not followed" in run.error


def test_a_redirect_to_another_host_is_refused_and_the_other_host_gets_nothing(tmp_path, warehouse):
    with Elsewhere() as other, RedirectingWebhook("webhook-secret") as webhook:
        webhook.location = f"{other.url}/collect"
        run = sync(tmp_path, warehouse, "webhook", webhook, [person(i) for i in range(3)])
    assert other.seen == []
    assert (run.status, run.error_kind) == ("failed", "destination")
    assert "redirect to another host refused" in run.error
    assert webhook.members(SEGMENT) == set()


@pytest.mark.parametrize("absolute", [False, True])
def test_a_redirect_on_the_same_host_is_followed(absolute, tmp_path, warehouse):
    people = [person(i) for i in range(3)]
    with RedirectingWebhook("webhook-secret") as webhook:
        webhook.location = f"{webhook.url}/landing" if absolute else "/landing"
        run = sync(tmp_path, warehouse, "webhook", webhook, people)
    assert (run.status, run.added) == ("success", 3)
    assert webhook.members(SEGMENT) == {p["person_id"] for p in people}
    assert [path for _, path, _ in webhook.requests] == ["/landing"]
