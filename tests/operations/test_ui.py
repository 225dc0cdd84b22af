"""`make dev` in the demo's fresh copy, for real: the Dagster UI on a free localhost port, driven
in Debian's headless chromium. It opens with the demo's history (assets materialized, checks
evaluated); a segment and then its sync to a fake webhook are materialized from their asset
pages; it listens on 127.0.0.1 only; and SIGTERM to make, as a service manager sends it, or
Ctrl-C stops every process it started."""

import json
import os
import signal
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from tests.operations.processes import (
    group_stopped,
    listening_addresses,
    start_make,
    stop,
    wait_for,
)
from tests.support import free_port
from tests.sync.fakes import FakeWebhook
from tests.sync.platforms import CONNECTIONS, SECRETS, write_config

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
SEGMENT = "segment_churn_risk"
SYNC = "sync/webhook/churn_risk"
LOCATION = "orchestration.definitions"
STOP_TIMEOUT = 90


def graphql(url: str, query: str, variables: dict) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def run_status(url: str, run_id: str, timeout: float) -> str:
    """The run's status once it ended, from the webserver's GraphQL API."""
    query = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"
    deadline = time.monotonic() + timeout
    status = "NOT_STARTED"
    while time.monotonic() < deadline:
        status = graphql(url, query, {"id": run_id})["runOrError"].get("status", status)
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            return status
        time.sleep(2)
    return status


@pytest.fixture(scope="module")
def dagster_ui(demo_clone, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ui")
    webhook = FakeWebhook(SECRETS["WEBHOOK_SECRET"]).__enter__()
    sync_config = write_config(
        folder / "sync.yml", {"webhook": CONNECTIONS["webhook"] | {"base_url": webhook.url}}
    )
    port = free_port()
    log = folder / "make_dev.log"
    env = {**SECRETS, "AUDIENCE_SYNC_CONFIG": str(sync_config)}
    process = start_make(demo_clone, ["dev", f"PORT={port}"], log, env, background=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/server_info", process, log, timeout=300)
        yield {
            "url": url,
            "port": port,
            "process": process,
            "duckdb_path": demo_clone.warehouse,
            "log": log,
            "webhook": webhook,
        }
    finally:
        webhook.__exit__(None, None, None)
        stop(process)


def test_the_ui_opens_with_the_demo_history_and_listens_on_localhost_only(dagster_ui, tmp_path):
    url = dagster_ui["url"]
    materialized = graphql(
        url,
        "query($key: AssetKeyInput!) { assetOrError(assetKey: $key) "
        "{ ... on Asset { assetMaterializations(limit: 1) { runId } } } }",
        {"key": {"path": ["analytics", "dim_persons"]}},
    )["assetOrError"]["assetMaterializations"]
    checks = graphql(
        url,
        "query($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) { ... on AssetNode "
        "{ assetChecksOrError { ... on AssetChecks { checks { name "
        "executionForLatestMaterialization { status } } } } } } }",
        {"key": {"path": ["analytics", "dim_persons"]}},
    )["assetNodeOrError"]["assetChecksOrError"]["checks"]
    assert materialized and materialized[0]["runId"]
    statuses = {c["executionForLatestMaterialization"]["status"] for c in checks}
    assert checks and statuses == {"SUCCEEDED"}, checks
    assert listening_addresses(dagster_ui["port"]) == {"127.0.0.1"}


def run_ids(url: str) -> set[str]:
    query = "{ runsOrError(limit: 20) { ... on Runs { results { runId } } } }"
    return {run["runId"] for run in graphql(url, query, {})["runsOrError"]["results"]}


def materialize_from_asset_page(page, url: str, asset_path: str, log: Path) -> str:
    """Materialize the asset from its page; the run's id once it succeeded. The run is found
    through the API: the UI's toast linking to it may be gone before it is looked for."""
    before = run_ids(url)
    page.goto(f"{url}/assets/{asset_path}")
    page.get_by_role("button", name="Materialize").first.click()
    deadline = time.monotonic() + 120
    launched: set[str] = set()
    while not launched and time.monotonic() < deadline:
        # asked to confirm when an upstream asset was never materialized in this instance
        confirm = page.get_by_role("button", name="Confirm")
        if confirm.count() and confirm.first.is_visible():
            confirm.first.click()
        time.sleep(1)
        launched = run_ids(url) - before
    assert len(launched) == 1, f"launched {launched}:\n{log.read_text()[-3000:]}"
    run_id = launched.pop()
    status = run_status(url, run_id, timeout=300)
    assert status == "SUCCESS", log.read_text()[-5000:]
    return run_id


def test_a_segment_and_its_sync_are_materialized_from_the_ui(dagster_ui, tmp_path):
    if not CHROMIUM.exists():
        pytest.fail("the UI test needs Debian's chromium: `make system-deps` installs it")
    from playwright.sync_api import expect, sync_playwright

    url, log = dagster_ui["url"], dagster_ui["log"]
    with duckdb.connect(str(dagster_ui["duckdb_path"])) as con:
        members = con.execute(f"select count(*) from segments.{SEGMENT}").fetchall()[0][0]
        con.execute(f"delete from segments.{SEGMENT}")
        exported = {
            row[0]
            for row in con.execute(
                "select person_id from exports.exp_webhook where segment_name = 'churn_risk' "
                "and (email is not null or phone_e164 is not null)"
            ).fetchall()
        }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(120_000)
        # assertions wait as long as actions: the asset graph of ~900 nodes takes a while to
        # lay out on a busy 2-core machine
        expect.set_options(timeout=120_000)
        page.goto(f"{url}/locations/{LOCATION}/asset-groups/segments")
        expect(page.get_by_text("segment_").first).to_be_visible()  # nodes of the graph
        page.screenshot(path=tmp_path / "asset_graph.png")
        page.get_by_text("List", exact=True).click()
        expect(page.get_by_text(SEGMENT).first).to_be_visible()

        run_id = materialize_from_asset_page(page, url, f"segments/{SEGMENT}", log)
        page.goto(f"{url}/runs/{run_id}")
        expect(page.get_by_text("RUN_SUCCESS").first).to_be_visible()
        page.screenshot(path=tmp_path / "segment_materialized.png", full_page=True)

        sync_run = materialize_from_asset_page(page, url, SYNC, log)
        page.goto(f"{url}/runs/{sync_run}")
        expect(page.get_by_text("RUN_SUCCESS").first).to_be_visible()
        page.screenshot(path=tmp_path / "sync_materialized.png", full_page=True)
        browser.close()
    assert (tmp_path / "segment_materialized.png").stat().st_size > 10_000
    with duckdb.connect(str(dagster_ui["duckdb_path"]), read_only=True) as con:
        rebuilt = con.execute(f"select count(*) from segments.{SEGMENT}").fetchall()[0][0]
    assert members > 0 and rebuilt == members, "the run from the UI rebuilt the segment"
    assert exported and dagster_ui["webhook"].members("churn_risk") == exported


def test_sigterm_to_make_stops_every_process_it_started(dagster_ui):
    """What systemd or a container runtime sends: to make only, which passes it on; make was
    started as a background job, with SIGINT ignored."""
    process = dagster_ui["process"]
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=STOP_TIMEOUT)
    assert group_stopped(process.pid, STOP_TIMEOUT), dagster_ui["log"].read_text()[-3000:]


def test_ctrl_c_stops_make_dev_on_the_port_it_was_given(demo_clone, tmp_path):
    """What a terminal sends on Ctrl-C: SIGINT to the whole foreground process group."""
    port, log = free_port(), tmp_path / "make_dev.log"
    process = start_make(demo_clone, ["dev", f"PORT={port}"], log)
    try:
        wait_for(f"http://127.0.0.1:{port}/server_info", process, log, timeout=300)
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=STOP_TIMEOUT)
        assert group_stopped(process.pid, STOP_TIMEOUT), log.read_text()[-3000:]
    finally:
        stop(process)
