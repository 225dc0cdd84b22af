"""The deployment in deploy/ runs: the daemon, started as its systemd unit starts it
(`dagster-daemon run -w deploy/workspace.yaml` in the project root, deploy/dagster.yaml in
DAGSTER_HOME), evaluates the membership sensor once it is turned on with the CLI; a segment whose
members changed makes it queue a sync, which the run queue launches in a process of its own and
which succeeds, its warehouse access holding the one slot of the duckdb_warehouse pool. SIGTERM
stops the daemon and everything it started. (The raw-files sensor and the refreshes it starts
run in process in test_runs.py; a sync is the cheapest real run.)"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.defs.resources import WAREHOUSE_POOL
from orchestration.defs.sensors import membership_fingerprints
from orchestration.defs.syncs import sync_key, sync_routes
from orchestration.quality.runner import run_suites
from orchestration.quality.suites import load_suites
from tests.support import PROJECT_DIR, dbt_env
from tests.sync.platforms import all_platforms

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
DEPLOY = PROJECT_DIR / "deploy"
SENSOR = "segment_membership_sensor"
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


def dagster_cli(args: list[str], env: dict[str, str]) -> str:
    """A `dagster` command on the deployment's workspace, as an operator runs it."""
    result = subprocess.run(
        [str(BIN / "dagster"), *args, "-w", str(DEPLOY / "workspace.yaml")],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def stop(process: subprocess.Popen) -> bool:
    """SIGTERM to the daemon's process group (as systemd stops the unit); True if it ended
    within a minute, else it is killed."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return False


def test_the_daemon_runs_the_sync_the_sensor_asks_for(defective_warehouse, tmp_path, monkeypatch):
    duckdb_path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    assert run_suites(duckdb_path, load_suites(names=["exports"])).is_success  # syncs may run
    platforms = contextlib.ExitStack()
    _, sync_config = platforms.enter_context(all_platforms(tmp_path, monkeypatch))
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    env = {
        **dbt_env(defective_warehouse.raw_path, duckdb_path),  # the fakes' secrets included
        "AUDIENCE_SYNC_CONFIG": str(sync_config),
        "DAGSTER_HOME": str(home),
    }
    # the segment synced to the fewest destinations: the cheapest sync
    destinations: dict[str, list[str]] = {}
    for destination, segments in sync_routes().items():
        for name in segments:
            destinations.setdefault(name, []).append(destination)
    segment = min(destinations, key=lambda name: (len(destinations[name]), name))

    # Turned on as an operator does; its cursor says every segment but one was synced as it is.
    assert "Started sensor" in dagster_cli(["sensor", "start", SENSOR], env)
    seen = membership_fingerprints(duckdb_path) | {segment: "members before"}
    dagster_cli(["sensor", "cursor", SENSOR, "--set", json.dumps(seen, sort_keys=True)], env)

    log = tmp_path / "daemon.log"
    with log.open("w") as output:
        daemon = subprocess.Popen(
            [str(BIN / "dagster-daemon"), "run", "-w", str(DEPLOY / "workspace.yaml")],
            cwd=PROJECT_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # deploy/dagster.yaml keeps its storage in DAGSTER_HOME, read from the environment
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    try:
        with DagsterInstance.from_config(str(home)) as instance:
            deadline = time.monotonic() + 600
            records = []
            while time.monotonic() < deadline:
                if daemon.poll() is not None:
                    pytest.fail(f"the daemon exited with {daemon.returncode}:\n{log.read_text()}")
                records = instance.get_run_records(RunsFilter(job_name="sync_audiences"))
                if records and records[0].dagster_run.status in FINISHED:
                    break
                time.sleep(2)
            assert records, f"no run was started:\n{log.read_text()[-5000:]}"
            run = records[0].dagster_run
            assert run.status == DagsterRunStatus.SUCCESS, log.read_text()[-5000:]
            assert len(records) == 1
            assert run.tags["dagster/sensor_name"] == SENSOR
            assert run.tags["audience/changed_segments"] == segment
            synced = {key.path[1] for key in run.asset_selection if key.path[2] == segment}
            assert synced == set(destinations[segment])
            for destination in synced:
                event = instance.get_latest_materialization_event(sync_key(destination, segment))
                assert event.asset_materialization.metadata["status"].value == "success"
            enqueued = instance.get_records_for_run(
                run.run_id, of_type=DagsterEventType.RUN_ENQUEUED
            ).records
            assert enqueued, "the run went through the run queue"
            pool = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
            assert pool.slot_count == 1, "deploy/dagster.yaml gives the pool one slot"
    finally:
        stopped = stop(daemon)
        platforms.close()
    assert stopped, f"the daemon did not stop on SIGTERM:\n{log.read_text()[-5000:]}"
