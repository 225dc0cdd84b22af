"""After `make demo` in a fresh copy: its refresh and sync ran through Dagster, so the instance
holds their runs; plain dbt commands work from the project root with nothing set; and without
the demo, dbt says what to run and creates no warehouse."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter

from tests.operations.conftest import DemoClone

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")


def dbt(clone: DemoClone, *args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["dbt", *args],
        cwd=cwd or clone.root,
        env=clone.env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_demo_refreshed_and_synced_through_dagster(demo_clone, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(demo_clone.dagster_home))
    with DagsterInstance.get() as instance:
        runs = instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.SUCCESS]))
        jobs = {record.dagster_run.job_name for record in runs}
        dim_persons = instance.get_latest_materialization_event(
            AssetKey(["analytics", "dim_persons"])
        )
        synced = [
            instance.get_latest_materialization_event(key)
            for key in instance.get_asset_keys(prefix=["sync", "files"])
        ]
        failed = instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.FAILURE]))
    assert "nightly_refresh" in jobs and len(runs) == 2, jobs
    assert not failed
    assert dim_persons is not None and synced
    statuses = {event.asset_materialization.metadata["status"].value for event in synced}
    assert statuses == {"success"}


def test_dbt_runs_by_hand_from_the_project_root_with_nothing_set(demo_clone):
    for args in (
        ["build", "-s", "dim_persons"],
        ["test", "-s", "dim_persons"],
        ["docs", "generate"],
    ):
        result = dbt(demo_clone, *args)
        assert result.returncode == 0, f"dbt {' '.join(args)}:\n{result.stdout[-3000:]}"
    assert (demo_clone.root / "target" / "catalog.json").exists()
    published = demo_clone.root / "data" / "demo" / "published"
    warehouses = {
        p.relative_to(demo_clone.root)
        for p in demo_clone.root.rglob("*.duckdb")
        if not p.is_relative_to(published)  # the copies readers use, which make demo published
    }
    assert warehouses == {demo_clone.warehouse.relative_to(demo_clone.root)}
    assert (published / "current" / "audience.duckdb").is_file()


def test_without_the_demo_dbt_says_to_make_it_and_creates_no_warehouse(demo_clone, tmp_path):
    elsewhere = ["build", "-s", "dim_persons", "--project-dir", str(demo_clone.root)]
    no_folder = dbt(demo_clone, *elsewhere, "--profiles-dir", str(demo_clone.root), cwd=tmp_path)
    assert no_folder.returncode != 0
    assert "No folder data/demo/" in no_folder.stdout and "make demo" in no_folder.stdout
    assert not list(tmp_path.rglob("*.duckdb"))

    (tmp_path / "data" / "demo").mkdir(parents=True)
    no_raw = dbt(demo_clone, *elsewhere, "--profiles-dir", str(demo_clone.root), cwd=tmp_path)
    assert no_raw.returncode != 0
    assert "No raw data below data/demo/raw/" in no_raw.stdout and "make demo" in no_raw.stdout
    # DuckDB creates the file only in the demo's own folder, which the user made
    assert set(tmp_path.rglob("*.duckdb")) <= {tmp_path / "data" / "demo" / "audience.duckdb"}


# per chart: traces, and the points, cells or links they draw (plotly keeps them on the div)
CHART_CONTENTS = """
() => [...document.querySelectorAll('.plotly-graph-div')].map(div => ({
    id: div.id,
    rendered: div.classList.contains('js-plotly-plot') && !!div.querySelector('.main-svg'),
    traces: (div.data || []).length,
    points: (div.data || []).reduce((n, t) => n + ((t.x || t.z || (t.link || {}).value
        || ((t.cells || {}).values || [[]])[0] || []).length), 0),
    notes: ((div.layout || {}).annotations || []).map(a => a.text),
}))
"""


def test_the_demo_leaves_a_report_whose_every_chart_rendered_with_data(demo_clone, tmp_path):
    """data/demo/report.html opened in headless chromium with the network cut off: every chart
    drew data (an empty one would say so in a note instead); a screenshot of each is saved."""
    if not CHROMIUM.exists():
        pytest.fail("the report test needs Debian's chromium: `make system-deps` installs it")
    from playwright.sync_api import sync_playwright

    report = demo_clone.root / "data" / "demo" / "report.html"
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.route(
            lambda url: not url.startswith("file:"),
            lambda route: (requested.append(route.request.url), route.abort()),
        )
        page.goto(report.as_uri())
        page.wait_for_function(
            "document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
            "document.querySelectorAll('.plotly-graph-div').length"
        )
        charts = page.evaluate(CHART_CONTENTS)
        for section in page.query_selector_all("section"):
            section.screenshot(path=tmp_path / f"report-{section.get_attribute('id')}.png")
        browser.close()
    assert len(charts) == 10 and not requested
    empty = [c for c in charts if not (c["rendered"] and c["traces"] and c["points"])]
    assert not empty and not [c for c in charts if c["notes"]], empty
    assert len(list(tmp_path.glob("report-*.png"))) == 10
