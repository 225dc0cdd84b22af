"""The code location runs on generated data, in process: the nightly refresh materializes every
dbt asset with every quality gate passing; a new raw file makes the sensor start an hourly
refresh that picks its events up; the successful refresh and the changed memberships start the
sync job, which brings every segment's audience to the fake platforms; and a blocking check
failure stops the exports."""

import datetime
import shutil

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from dagster import (
    AssetKey,
    AssetSelection,
    DagsterInstance,
    RunRequest,
    SkipReason,
    build_run_status_sensor_context,
    build_sensor_context,
    materialize,
)

from orchestration.definitions import assemble
from orchestration.defs.dbt_assets import DBT_ASSETS, RAW_TABLES, export_models
from orchestration.defs.project import dbt_resource, manifest
from orchestration.defs.publishing import PUBLISHED_COPY
from orchestration.defs.quality_checks import quality_checks, table_asset_keys
from orchestration.defs.reporting import AUDIENCE_REPORT
from orchestration.defs.resources import (
    PublishResource,
    RawDataResource,
    ReportResource,
    SyncConfigResource,
    WarehouseResource,
)
from orchestration.defs.sensors import (
    raw_files_sensor,
    segment_membership_sensor,
    syncs_after_refresh,
)
from orchestration.defs.syncs import SYNC_ASSETS, sync_routes
from orchestration.quality.suites import load_suites
from orchestration.sync.config import load_config
from orchestration.sync.destinations import build_destination
from orchestration.sync.destinations.base import InvalidMember
from orchestration.sync.engine import read_members
from orchestration.warehouse import connect_file
from tests.support import DEFECT_WARNINGS, add_raw_part, dbt_env, split_events_at
from tests.sync.platforms import all_platforms

# about 6 minutes of builds: started among the first
pytestmark = pytest.mark.slow(minutes=6)

DIM_USERS = AssetKey(["analytics", "dim_persons"])
# the checks of the expectations that warn on the defective data
CHECKS_WARNING_ON_DEFECTS = {
    (table_asset_keys(manifest())[table], f"{suite}__{metric}")
    for suite, table, metric in DEFECT_WARNINGS
}


def run_resources(raw_path, duckdb_path, now: datetime.datetime, sync_config) -> dict:
    return {
        "dbt": dbt_resource(),
        "warehouse": WarehouseResource(duckdb_path=str(duckdb_path), check_now=now.isoformat()),
        "raw_data": RawDataResource(raw_path=str(raw_path)),
        "publishing": PublishResource(publish_path=str(duckdb_path.parent / "published")),
        "report": ReportResource(report_path=str(duckdb_path.parent / "report.html")),
        "sync_config": SyncConfigResource(config_path=str(sync_config)),
    }


def newest_arrival(raw_path) -> datetime.datetime:
    received = pq.read_table(raw_path / "tracks", columns=["received_at"])["received_at"]
    return pc.max(received).as_py().replace(tzinfo=None)


def new_message_ids(part) -> set[str]:
    return {i for i in pq.read_table(part, columns=["id"])["id"].to_pylist() if i}


def failed_checks(result) -> set[tuple[AssetKey, str]]:
    return {
        (e.asset_key, e.check_name) for e in result.get_asset_check_evaluations() if not e.passed
    }


@pytest.fixture(scope="module")
def runs(defective_warehouse, tmp_path_factory):
    """The nightly refresh on all but the last day's events, then the sensor's evaluations and
    the hourly refresh it asks for once the last day's files land, then the sync job the sync
    sensors ask for, against the fake platforms."""
    folder = tmp_path_factory.mktemp("dagster")
    now = newest_arrival(defective_warehouse.raw_path) + datetime.timedelta(hours=1)
    raw_path = folder / "raw"
    parts = split_events_at(
        defective_warehouse.raw_path, raw_path, now - datetime.timedelta(days=1)
    )
    duckdb_path = folder / "audience.duckdb"
    instance = DagsterInstance.ephemeral()
    with pytest.MonkeyPatch.context() as env, all_platforms(folder, env) as (fakes, sync_config):
        resources = run_resources(raw_path, duckdb_path, now, sync_config)
        defs = assemble(resources)
        for name, value in dbt_env(raw_path, duckdb_path).items():
            env.setenv(name, value)
        nightly = defs.resolve_job_def("nightly_refresh").execute_in_process(
            instance=instance, raise_on_error=False
        )
        sensor_context = build_sensor_context(resources={"raw_data": resources["raw_data"]})
        first = raw_files_sensor(sensor_context)
        unchanged = raw_files_sensor(sensor_context)
        for part in parts.values():
            add_raw_part(part, raw_path)
        landed = raw_files_sensor(sensor_context)
        hourly = defs.resolve_job_def("hourly_refresh").execute_in_process(
            instance=instance, raise_on_error=False, tags=landed.tags
        )
        after_refresh = syncs_after_refresh(
            build_run_status_sensor_context(
                sensor_name="syncs_after_refresh",
                dagster_event=hourly.get_run_success_event(),
                dagster_instance=instance,
                dagster_run=hourly.dagster_run,
            )
        )
        membership_context = build_sensor_context(resources={"warehouse": resources["warehouse"]})
        membership = [segment_membership_sensor(membership_context) for _ in range(2)]
        sync = defs.resolve_job_def("sync_audiences").execute_in_process(
            instance=instance, raise_on_error=False, tags=after_refresh.tags
        )
        held = {
            name: {audience: fake.members(audience) for audience in _audiences(fake)}
            for name, fake in fakes.items()
        }
        fake_classes = {name: type(fake) for name, fake in fakes.items()}
    return {
        "nightly": nightly,
        "sensor": (first, unchanged, landed, raw_files_sensor(sensor_context)),
        "hourly": hourly,
        "sync_sensors": (after_refresh, *membership),
        "sync": sync,
        "held": held,
        "fake_classes": fake_classes,
        "sync_config": sync_config,
        "new_ids": new_message_ids(raw_path / "tracks" / "part-b.parquet"),
        "path": duckdb_path,
        "resources": resources,
        "env": dbt_env(raw_path, duckdb_path),
    }


def _audiences(fake) -> list[str]:
    for attribute in ("audiences", "segments", "lists"):
        if hasattr(fake, attribute):
            return list(getattr(fake, attribute))
    raise AssertionError(f"{type(fake).__name__} holds no audiences")


def test_the_nightly_refresh_materializes_every_dbt_asset_and_publishes_them(runs):
    result = runs["nightly"]
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == set().union(*(a.keys for a in DBT_ASSETS)) | {
        PUBLISHED_COPY,
        AUDIENCE_REPORT,
    }
    published = runs["path"].parent / "published" / "current" / "audience.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        users = con.execute("select count(*) from serving.api_profiles").fetchall()[0][0]
    assert users > 0


def test_each_refresh_writes_the_report_of_the_copy_it_published(runs):
    """The hourly refresh ran last: the report shows its published version."""
    [event] = [
        e
        for e in runs["hourly"].get_asset_materialization_events()
        if e.asset_key == AUDIENCE_REPORT
    ]
    metadata = event.materialization.metadata
    current = (runs["path"].parent / "published" / "current").resolve().name
    assert metadata["published_version"].value == current
    assert current in (runs["path"].parent / "report.html").read_text()


def test_every_quality_gate_and_dbt_test_ran_and_only_expected_warnings_failed(runs):
    result = runs["nightly"]
    evaluated = {(e.asset_key, e.check_name) for e in result.get_asset_check_evaluations()}
    expectations = sum(len(s.checks) for s in load_suites())
    assert (
        sum(name.split("__")[0] in ("raw", "staging", "marts", "exports") for _, name in evaluated)
        >= expectations
    )
    assert len(evaluated) > expectations + 300  # the dbt tests too
    gx_failures = {
        c
        for c in failed_checks(result)
        if c[1].startswith(("raw__", "staging__", "marts__", "exports__"))
    }
    assert gx_failures == CHECKS_WARNING_ON_DEFECTS
    blocking_failures = [
        e
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity.value == "ERROR"
    ]
    assert not blocking_failures, blocking_failures


def test_the_sensor_starts_a_refresh_only_when_new_raw_files_land(runs):
    first, unchanged, landed, after = runs["sensor"]
    assert isinstance(first, RunRequest), "a sensor turned on asks for a first load"
    assert isinstance(unchanged, SkipReason)
    assert isinstance(landed, RunRequest)
    assert landed.tags["audience/new_raw_files"] == "3"  # tracks, pages, identifies
    assert landed.run_key != first.run_key
    assert isinstance(after, SkipReason)


def test_the_refresh_the_sensor_started_picks_up_the_new_events(runs):
    assert runs["hourly"].success
    with duckdb.connect(str(runs["path"]), read_only=True) as con:
        con.register("new_ids", pa.table({"id": sorted(runs["new_ids"])}))
        loaded = con.execute(
            "select count(distinct message_id) from staging.base_segment__tracks"
            " where message_id in (select id from new_ids)"
        ).fetchall()[0][0]
    assert runs["new_ids"] and loaded == len(runs["new_ids"])


def test_a_blocking_failure_stops_the_exports(runs, tmp_path):
    path = tmp_path / "audience.duckdb"
    shutil.copy(runs["path"], path)
    with duckdb.connect(str(path)) as con:
        con.execute("insert into analytics.dim_persons from analytics.dim_persons limit 1")
        con.execute("drop table exports.exp_meta_ads")
    resources = {
        **runs["resources"],
        "warehouse": WarehouseResource(
            duckdb_path=str(path), check_now=runs["resources"]["warehouse"].check_now
        ),
    }
    with pytest.MonkeyPatch.context() as env:
        for name, value in {**runs["env"], "AUDIENCE_DUCKDB_PATH": str(path)}.items():
            env.setenv(name, value)
        result = materialize(
            [*RAW_TABLES, *DBT_ASSETS, *quality_checks()],
            selection=AssetSelection.assets(*export_models.keys)
            | AssetSelection.checks_for_assets(DIM_USERS),
            resources=resources,
            instance=DagsterInstance.ephemeral(),
            raise_on_error=False,
        )
    assert not result.success
    assert (DIM_USERS, "marts__duplicate_person_ids") in failed_checks(result)
    failure = next(
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "marts__duplicate_person_ids"
    )
    assert "observed 1" in failure.description
    assert not result.get_asset_materialization_events(), "an export ran despite the failure"
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'exports'"
        ).fetchall()
    assert ("exp_meta_ads",) not in tables


def test_a_successful_refresh_and_changed_memberships_start_the_syncs(runs):
    after_refresh, first, again = runs["sync_sensors"]
    assert isinstance(after_refresh, RunRequest)
    assert after_refresh.tags["audience/after_refresh"] == runs["hourly"].run_id
    assert isinstance(first, RunRequest)
    every_sync = set().union(*(a.keys for a in SYNC_ASSETS))
    assert set(first.asset_selection) <= every_sync
    assert len(first.asset_selection) > len(every_sync) / 2
    assert isinstance(again, SkipReason), "unchanged memberships start nothing"


def test_the_sync_job_brings_every_audience_to_its_platform(runs):
    result = runs["sync"]
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == set().union(*(a.keys for a in SYNC_ASSETS))
    configs = load_config(runs["sync_config"])
    with connect_file(runs["path"], read_only=True) as con:
        audiences = dict(
            ((d, s), a)
            for s, d, a in con.execute(
                "select segment_name, destination, audience_id from sync.sync_audiences"
            ).fetchall()
        )
        checked = 0
        for destination, segments in sync_routes().items():
            if destination == "files":
                continue
            prepare = build_destination(configs[destination]).prepare
            fake_class = runs["fake_classes"][destination]
            for segment in segments:
                expected = set()
                for member in read_members(con, destination, segment):
                    try:
                        expected |= fake_class.expected_keys(prepare(member))
                    except InvalidMember:
                        continue
                held = runs["held"][destination].get(audiences.get((destination, segment)), set())
                assert held == expected, (destination, segment)
                checked += bool(expected)
    assert checked > 20
