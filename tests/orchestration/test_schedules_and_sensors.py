"""Schedules skip a tick while their job's previous run is still going; the raw files sensor
sees every new or rewritten file, whatever its modification time."""

import json
import os

import pytest
from dagster import (
    DagsterRun,
    DagsterRunStatus,
    RunRequest,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
    instance_for_test,
)
from dagster._core.utils import make_new_run_id

from orchestration.defs.resources import RawDataResource
from orchestration.defs.schedules import hourly_refresh_schedule, nightly_refresh_schedule
from orchestration.defs.sensors import new_files, raw_files, raw_files_sensor


@pytest.mark.parametrize("schedule", [hourly_refresh_schedule, nightly_refresh_schedule])
def test_a_schedule_skips_while_its_previous_run_is_going(schedule):
    with instance_for_test() as instance:
        assert isinstance(schedule(build_schedule_context(instance=instance)), RunRequest)
        run = DagsterRun(
            job_name=schedule.job_name, run_id=make_new_run_id(), status=DagsterRunStatus.STARTED
        )
        instance.add_run(run)
        skipped = schedule(build_schedule_context(instance=instance))
        assert isinstance(skipped, SkipReason)
        assert run.run_id in skipped.skip_message
        instance.report_run_failed(run)
        assert isinstance(schedule(build_schedule_context(instance=instance)), RunRequest)


def test_other_jobs_runs_do_not_hold_a_schedule_back():
    with instance_for_test() as instance:
        instance.add_run(
            DagsterRun(job_name="other", run_id=make_new_run_id(), status=DagsterRunStatus.STARTED)
        )
        assert isinstance(
            hourly_refresh_schedule(build_schedule_context(instance=instance)), RunRequest
        )


def write(path, mtime_ns: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PAR1")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_new_files_are_found_whatever_their_time(tmp_path):
    write(tmp_path / "tracks/a.parquet", 2_000)
    new, cursor = new_files(raw_files(tmp_path), None)
    assert new == ["tracks/a.parquet"]
    assert new_files(raw_files(tmp_path), cursor)[0] == []
    write(tmp_path / "pages/old.parquet", 1_000)  # moved in, keeping an older time
    write(tmp_path / "tracks/a.parquet", 3_000)  # rewritten
    new, cursor = new_files(raw_files(tmp_path), cursor)
    assert new == ["pages/old.parquet", "tracks/a.parquet"]
    assert json.loads(cursor) == {"pages/old.parquet": 1_000, "tracks/a.parquet": 3_000}
    (tmp_path / "notes.txt").write_text("not raw data")
    assert new_files(raw_files(tmp_path), cursor)[0] == []


def test_the_sensor_skips_with_the_setting_named_when_the_raw_folder_is_missing(tmp_path):
    resources = {"raw_data": RawDataResource(raw_path=str(tmp_path / "nowhere"))}
    result = raw_files_sensor(build_sensor_context(resources=resources))
    assert isinstance(result, SkipReason)
    assert "AUDIENCE_RAW_PATH" in result.skip_message
