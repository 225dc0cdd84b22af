"""The Dagster UI, for real: `dagster dev` on a free localhost port over a built warehouse,
driven in Debian's headless chromium. The test finds the asset graph, launches a segment's
materialization from its asset page, then the segment's sync to a fake webhook, waits for each
run to succeed, and saves screenshots."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from orchestration.quality.runner import run_suites
from orchestration.quality.suites import load_suites
from tests.support import PROJECT_DIR, dbt_env
from tests.sync.fakes import FakeWebhook
from tests.sync.platforms import CONNECTIONS, SECRETS, write_config

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
DAGSTER = Path(sys.executable).with_name("dagster")
SEGMENT = "segment_churn_risk"
SYNC = "sync/webhook/churn_risk"
LOCATION = "orchestration.definitions"


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster dev exited with {process.returncode}:\n{log.read_text()[-5000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"dagster dev did not answer {url} in {timeout} s:\n{log.read_text()[-5000:]}")


def run_status(url: str, run_id: str, timeout: float) -> str:
    """The run's status once it ended, from the webserver's GraphQL API."""
    query = json.dumps(
        {
            "query": "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }",
            "variables": {"id": run_id},
        }
    ).encode()
    deadline = time.monotonic() + timeout
    status = "NOT_STARTED"
    while time.monotonic() < deadline:
        request = urllib.request.Request(
            f"{url}/graphql", data=query, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            status = json.loads(response.read())["data"]["runOrError"].get("status", status)
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            return status
        time.sleep(2)
    return status


@pytest.fixture
def dagster_ui(defective_warehouse, tmp_path, free_tcp_port):
    duckdb_path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    assert run_suites(duckdb_path, load_suites(names=["exports"])).is_success  # syncs may run
    webhook = FakeWebhook(SECRETS["WEBHOOK_SECRET"]).__enter__()
    sync_config = write_config(
        tmp_path / "sync.yml", {"webhook": CONNECTIONS["webhook"] | {"base_url": webhook.url}}
    )
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_DIR / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    log = tmp_path / "dagster.log"
    url = f"http://127.0.0.1:{free_tcp_port}"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(DAGSTER), "dev", "-m", LOCATION, "-h", "127.0.0.1", "-p", str(free_tcp_port)],
            cwd=PROJECT_DIR,
            env={
                **dbt_env(defective_warehouse.raw_path, duckdb_path),
                **SECRETS,
                "AUDIENCE_SYNC_CONFIG": str(sync_config),
                "DAGSTER_HOME": str(home),
            },
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(f"{url}/server_info", process, log, timeout=240)
        yield {"url": url, "duckdb_path": duckdb_path, "log": log, "webhook": webhook}
    finally:
        webhook.__exit__(None, None, None)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def materialize_from_asset_page(page, url: str, asset_path: str, log: Path) -> str:
    """Materialize the asset from its page; the run's id once it succeeded."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{url}/assets/{asset_path}")
    page.get_by_role("button", name="Materialize").first.click()
    # this Dagster instance never materialized the upstream assets (dbt built them): confirm
    with contextlib.suppress(PlaywrightTimeout):
        page.get_by_role("button", name="Confirm").click(timeout=15_000)
    link = page.get_by_role("link", name="View", exact=True).first
    run_id = link.get_attribute("href").split("/")[-1]
    status = run_status(url, run_id, timeout=300)
    assert status == "SUCCESS", log.read_text()[-5000:]
    return run_id


def test_a_segment_and_its_sync_are_materialized_from_the_ui(dagster_ui, tmp_path):
    if not CHROMIUM.exists():
        pytest.fail("the UI test needs Debian's chromium: apt-get install chromium (.ci/run does)")
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
