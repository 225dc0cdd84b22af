"""No credential and no member identifier leaves the sync in an error: every platform's fake is
made to echo the whole request (its headers, the access token or key among them, and its body,
the members' emails, phones, hashes and names among them) into its documented error fields, and
into per-member rejections. Neither sync.sync_runs, sync.sync_state, sync.sync_rejections, the
log at DEBUG level (urllib3's request lines included), the CLI's output nor the Dagster
failure may then hold any of it."""

from __future__ import annotations

import base64
import logging

import duckdb
import pytest
from dagster import DagsterEventType, RetryPolicy, materialize

from orchestration.cli import main
from orchestration.defs import syncs
from orchestration.defs.resources import SyncConfigResource, WarehouseResource
from orchestration.sync import identifiers as ids
from orchestration.sync import redact
from tests.sync.conftest import SEGMENT, person, sync_args
from tests.sync.fakes import Fault
from tests.sync.platforms import SECRETS
from tests.sync.test_destinations import HTTP_DESTINATIONS, reject_key

PEOPLE = [person(i) for i in range(12)]


def sent_values(prepared) -> list[str]:
    """Every string a platform receives of a prepared member."""
    found, stack = [], [prepared.identity, prepared.attributes]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            found.append(value)
    return found


def needles(destination, people: list[dict]) -> set[str]:
    """Every secret, and every identifier of the people in any form a platform receives."""
    found = set(SECRETS.values())
    found.add(base64.b64encode(f"audience-warehouse:{SECRETS['MAILCHIMP_KEY']}".encode()).decode())
    for member in people:
        prepared = destination.prepare(member)
        found.add(member["person_id"])
        found.update(v for k, v in member.items() if k != "segment_name" and v and len(v) > 3)
        found.add(ids.mailchimp_subscriber_hash(member["email"]))
        if member["phone_e164"]:
            found.add(member["phone_e164"].lstrip("+"))
        found.update(value for value in sent_values(prepared) if len(value) > 3)
    return found


def leaks(text: str, secrets: set[str]) -> list[str]:
    return sorted(needle for needle in secrets if needle in text)


def stored(path, query: str) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return repr(con.execute(query).fetchall())


@pytest.fixture
def echoed(request, warehouse, connect, caplog):
    """A first sync of PEOPLE, then a change whose first request the platform echoes back in
    its error fields: the run, the needles and the warehouse."""
    name = request.param
    caplog.set_level(logging.DEBUG)
    platform = connect(name)
    warehouse.set_members(name, PEOPLE)
    assert platform.sync(warehouse).status == "success"
    later = PEOPLE[3:] + [person(i) for i in range(100, 104)]
    warehouse.set_members(name, later)
    platform.fake.inject(Fault("echo"))
    run = platform.sync(warehouse)
    return run, needles(platform.destination(), PEOPLE + later), warehouse.path


@pytest.mark.parametrize("echoed", HTTP_DESTINATIONS, indirect=True)
def test_an_echoed_request_leaves_no_secret_or_identifier_in_runs_or_logs(echoed, caplog):
    run, secrets, path = echoed
    assert (run.status, run.error_kind) == ("failed", "destination")
    assert "answered 400" in run.error and "headers=" in run.error  # the echo, cut
    assert leaks(run.error, secrets) == []
    assert leaks(stored(path, "select * from sync.sync_runs"), secrets) == []
    logged = "\n".join(r.getMessage() for r in caplog.get_records("setup"))
    assert "DEBUG" in {r.levelname for r in caplog.get_records("setup")}
    assert 'HTTP/1.1" 400' in logged and leaks(logged, secrets) == []


@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_rejections_echoing_the_request_are_stored_redacted(name, warehouse, connect):
    platform = connect(name)
    warehouse.set_members(name, PEOPLE)
    destination = platform.destination()
    # what the platform received of the member, and credentials, echoed in its rejection
    platform.fake.rejecting = {
        reject_key(name, destination, p): (
            " ".join(sent_values(destination.prepare(p))) + " rejected with "
            f"Bearer {SECRETS['META_TOKEN']} {SECRETS['MAILCHIMP_KEY']} {SECRETS['KLAVIYO_KEY']}"
        )
        for p in PEOPLE[:2]
    }
    run = platform.sync(warehouse)
    assert (run.status, run.rejected) == ("partial", 2)
    errors = stored(
        warehouse.path,
        "select last_error from sync.sync_state union all select error from sync.sync_rejections",
    )
    assert errors.count("rejected with") == 4
    assert leaks(errors, needles(destination, PEOPLE)) == []


@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_the_cli_prints_no_secret_or_identifier(name, warehouse, connect, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    platform = connect(name)
    warehouse.set_members(name, PEOPLE)
    warehouse.route(name)
    platform.fake.inject(*[Fault("echo")] * 3)
    code = main(["-v", *sync_args(warehouse, platform.config_path, "--segment", SEGMENT)])
    out = capsys.readouterr()
    assert code == 1
    assert "failed" in out.out
    secrets = needles(platform.destination(), PEOPLE)
    assert leaks(out.out + out.err + caplog.text, secrets) == []


def test_a_klaviyo_removal_by_lookup_logs_no_email(warehouse, connect, caplog):
    """A removal after a crash looks the profile up with a filter naming the email in the
    query string, which urllib3 logs at DEBUG."""
    platform = connect("klaviyo")
    warehouse.set_members("klaviyo", PEOPLE)
    assert platform.sync(warehouse).status == "success"
    with duckdb.connect(str(warehouse.path)) as con:
        con.execute("update sync.sync_state set ref = null")
    caplog.set_level(logging.DEBUG)
    warehouse.set_members("klaviyo", PEOPLE[4:])
    run = platform.sync(warehouse)
    assert (run.status, run.removed) == ("success", 4)
    assert "/api/profiles?[query]" in caplog.text  # the lookups were logged, redacted
    assert leaks(caplog.text, needles(platform.destination(), PEOPLE)) == []


@pytest.mark.parametrize("name", HTTP_DESTINATIONS)
def test_the_dagster_failure_holds_no_secret_or_identifier(name, warehouse, connect, monkeypatch):
    monkeypatch.setattr(syncs, "SYNC_RETRY", RetryPolicy(max_retries=0))
    platform = connect(name)
    warehouse.set_members(name, PEOPLE)
    platform.fake.inject(*[Fault("echo")] * 3)
    result = materialize(
        [syncs._sync_asset(name, [SEGMENT])],
        resources={
            "warehouse": WarehouseResource(duckdb_path=str(warehouse.path)),
            "sync_config": SyncConfigResource(config_path=str(platform.config_path)),
        },
        raise_on_error=False,
    )
    assert not result.success
    failures = [
        event.event_specific_data.error.to_string()
        for event in result.all_events
        if event.event_type == DagsterEventType.STEP_FAILURE
    ]
    assert failures and "1 sync(s) failed" in failures[0]
    assert leaks("\n".join(failures), needles(platform.destination(), PEOPLE)) == []


def test_a_platform_error_keeps_its_documented_code_and_message(warehouse, connect):
    platform = connect("meta_ads")
    warehouse.set_members("meta_ads", PEOPLE)
    platform.fake.inject(Fault("401"))
    run = platform.sync(warehouse)
    assert run.error == "meta_ads: POST /act_42/customaudiences answered 401: 401 injected 401"


def test_scrubbing_cuts_every_kind_of_identifier_and_keeps_the_rest():
    redact.register_secret("s3cr3t-token-value")
    words = redact.member_words([{"first_name": "Zoë", "postal": "94025-1234"}])
    text = (
        "GET https://api.example.com/v1/profiles?filter=equals(email,%22a@b.co%22) failed for "
        "Zoë at 94025-1234, jane.doe+x@example.com, +4915112345678, 16505551212, "
        f"{'ab' * 32}, {base64.b64encode(b's3cr3t-token-value').decode()}, "
        "token s3cr3t-token-value; error_subcode 1713230: Invalid parameter"
    )
    assert redact.safe(text, words) == (
        "GET https://api.example.com/v1/profiles?[query] failed for [member] at [member], "
        "[email], [number], [number], [hash], [secret], token [secret]; "
        "error_subcode 1713230: Invalid parameter"
    )
    assert len(redact.safe("x" * 1_000)) == redact.MAX_LENGTH
