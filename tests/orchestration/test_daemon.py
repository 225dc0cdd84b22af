"""The deployment in deploy/ runs: the daemon, started as its systemd unit starts it
(`dagster-daemon run -w deploy/workspace.yaml` in the project root, deploy/dagster.yaml in
DAGSTER_HOME), evaluates the raw files sensor once it is turned on with the CLI; new raw files
make it queue an hourly refresh, which the run queue launches in a process of its own and which
succeeds, its warehouse writes holding the one slot of the duckdb_warehouse pool. SIGTERM stops
the daemon and everything it started."""

import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.defs.resources import WAREHOUSE_POOL
from orchestration.defs.sensors import new_files, raw_files
from tests.support import PROJECT_DIR, add_raw_part, dbt_env, split_events_at

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
DEPLOY = PROJECT_DIR / "deploy"
SENSOR = "raw_files_sensor"
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


def test_the_daemon_runs_the_refresh_the_sensor_asks_for(
    defective_warehouse, tmp_path, monkeypatch
):
    received = pq.read_table(defective_warehouse.raw_path / "tracks", columns=["received_at"])
    now = pc.max(received["received_at"]).as_py().replace(tzinfo=None) + datetime.timedelta(hours=1)
    raw_path = tmp_path / "raw"
    parts = split_events_at(
        defective_warehouse.raw_path, raw_path, now - datetime.timedelta(days=1)
    )
    duckdb_path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    env = {
        **dbt_env(raw_path, duckdb_path),
        "AUDIENCE_CHECK_NOW": now.isoformat(),
        "DAGSTER_HOME": str(home),
    }

    # Turned on as an operator does; its cursor says the files there now were loaded already.
    assert "Started sensor" in dagster_cli(["sensor", "start", SENSOR], env)
    loaded = new_files(raw_files(raw_path), None)[1]
    dagster_cli(["sensor", "cursor", SENSOR, "--set", loaded], env)
    for part in parts.values():  # the last day's events land
        add_raw_part(part, raw_path)

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
            deadline = time.monotonic() + 900
            records = []
            while time.monotonic() < deadline:
                if daemon.poll() is not None:
                    pytest.fail(f"the daemon exited with {daemon.returncode}:\n{log.read_text()}")
                records = instance.get_run_records(RunsFilter(job_name="hourly_refresh"))
                if records and records[0].dagster_run.status in FINISHED:
                    break
                time.sleep(3)
            assert records, f"no run was started:\n{log.read_text()[-5000:]}"
            run = records[0].dagster_run
            assert run.status == DagsterRunStatus.SUCCESS, log.read_text()[-5000:]
            assert len(records) == 1
            assert run.tags["dagster/sensor_name"] == SENSOR
            assert run.tags["audience/new_raw_files"] == "3"  # tracks, pages, identifies
            enqueued = instance.get_records_for_run(
                run.run_id, of_type=DagsterEventType.RUN_ENQUEUED
            ).records
            assert enqueued, "the run went through the run queue"
            pool = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
            assert pool.slot_count == 1, "deploy/dagster.yaml gives the pool one slot"
    finally:
        stopped = stop(daemon)
    assert stopped, f"the daemon did not stop on SIGTERM:\n{log.read_text()[-5000:]}"
