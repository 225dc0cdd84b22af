"""Another process holding the warehouse file: DuckDB allows one writing process, or readers and
no writer. Every command that needs what the holder keeps from it exits 75 (try again later)
with one line saying which file and which process, never a traceback; readers share the file
with a reader; the Dagster sync step fails with the same message."""

from __future__ import annotations

import subprocess

import duckdb
import pytest
from dagster import DagsterEventType, RetryPolicy, materialize

from orchestration.cli import main
from orchestration.defs import syncs
from orchestration.defs.resources import SyncConfigResource, WarehouseResource
from orchestration.warehouse import BUSY_EXIT_CODE
from tests.support import held
from tests.sync.conftest import SEGMENT, person, sync_args

MODES = ["read_only", "read_write"]
PEOPLE = [person(i) for i in range(12)]


def assert_busy(output, path, holder: subprocess.Popen) -> None:
    """One line says the warehouse is busy, naming the file and the holder; no traceback."""
    busy = [line for line in output.err.splitlines() if line.startswith("busy: ")]
    assert len(busy) == 1, output.err
    assert str(path) in busy[0]
    assert f"process {holder.pid} " in busy[0]
    assert "Traceback" not in output.out + output.err


@pytest.fixture
def routed(warehouse, connect):
    """A warehouse whose segment goes to the webhook, and the webhook's configuration."""
    platform = connect("webhook")
    warehouse.set_members("webhook", PEOPLE)
    warehouse.route("webhook")
    return warehouse, platform


@pytest.mark.parametrize("mode", MODES)
def test_a_sync_against_a_held_warehouse_exits_75_naming_the_file_and_the_holder(
    mode, routed, capsys
):
    warehouse, platform = routed
    with held(warehouse.path, mode) as holder:
        code = main(sync_args(warehouse, platform.config_path, "--all"))
        output = capsys.readouterr()
    assert code == BUSY_EXIT_CODE == 75
    assert_busy(output, warehouse.path, holder)
    assert platform.fake.requests == []
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        schemas = con.execute("select schema_name from duckdb_schemas()").fetchall()
    assert ("sync",) not in schemas  # the busy run wrote nothing

    # once the holder is gone the same command syncs
    assert main(sync_args(warehouse, platform.config_path, "--all")) == 0
    assert platform.held(warehouse) == platform.expected(PEOPLE)


def test_a_summary_while_another_process_writes_exits_75(warehouse, capsys):
    argv = ["summary", "--warehouse", str(warehouse.path)]
    with held(warehouse.path, "read_write") as holder:
        code = main(argv)
        output = capsys.readouterr()
    assert code == BUSY_EXIT_CODE
    assert_busy(output, warehouse.path, holder)
    assert main(argv) == 0


def test_a_summary_shares_the_warehouse_with_another_reader(warehouse, capsys):
    with held(warehouse.path, "read_only"):
        code = main(["summary", "--warehouse", str(warehouse.path)])
        output = capsys.readouterr()
    assert code == 0
    assert output.out.startswith("Identity")
    assert "busy" not in output.err


@pytest.mark.parametrize("mode", MODES)
def test_a_check_against_a_held_warehouse_exits_75(mode, warehouse, capsys):
    """A check reads the warehouse, then stores its results: a reader lets it read but not
    store, a writer does not let it read."""
    argv = ["check", "--suite", "exports", "--warehouse", str(warehouse.path)]
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        stored_before = con.execute("select count(*) from quality.check_results").fetchone()
    with held(warehouse.path, mode) as holder:
        code = main(argv)
        output = capsys.readouterr()
    assert code == BUSY_EXIT_CODE
    assert_busy(output, warehouse.path, holder)
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        assert con.execute("select count(*) from quality.check_results").fetchone() == (
            stored_before
        )


@pytest.mark.parametrize("mode", MODES)
def test_the_dagster_sync_step_fails_with_the_busy_message(mode, routed, monkeypatch):
    monkeypatch.setattr(syncs, "SYNC_RETRY", RetryPolicy(max_retries=0))
    warehouse, platform = routed
    asset = syncs._sync_asset("webhook", [SEGMENT])
    resources = {
        "warehouse": WarehouseResource(duckdb_path=str(warehouse.path)),
        "sync_config": SyncConfigResource(config_path=str(platform.config_path)),
    }
    with held(warehouse.path, mode) as holder:
        result = materialize([asset], resources=resources, raise_on_error=False)
    assert not result.success
    failures = [
        event.event_specific_data.error.to_string()
        for event in result.all_events
        if event.event_type == DagsterEventType.STEP_FAILURE
    ]
    assert len(failures) == 1
    assert f"the warehouse {warehouse.path} is in use by process {holder.pid} " in failures[0]
    assert result.get_asset_materialization_events() == []
    assert platform.fake.requests == []

    result = materialize([asset], resources=resources, raise_on_error=False)
    assert result.success
    assert platform.held(warehouse) == platform.expected(PEOPLE)
