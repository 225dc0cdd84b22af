"""A BI tool and a refresh at the same time: a reader holding the published copy open never
blocks `audience refresh` (build, gates, publish, exports), the refresh never breaks the reader,
and a connection opened after the refresh reads the new data."""

from __future__ import annotations

import subprocess
import time

import duckdb
import pytest

from orchestration.publish.location import CURRENT, DATABASE
from tests.e2e.refresh_runs import copy_of, data_time, refresh, refresh_command
from tests.support import PROJECT_DIR, BuiltWarehouse, dbt_env

pytestmark = pytest.mark.slow

MARKER = "analytics.refresh_generation"


def test_a_reader_and_a_refresh_of_the_published_copy_run_side_by_side(
    defective_warehouse: BuiltWarehouse, tmp_path
):
    path = copy_of(defective_warehouse, tmp_path)
    now = data_time(path)
    first = refresh(defective_warehouse, path, now)
    assert first.returncode == 0, first.stdout + first.stderr
    published = tmp_path / "published" / CURRENT / DATABASE
    with duckdb.connect(str(path)) as con:
        # data only the next publish carries
        con.execute(f"create table {MARKER} as select 2 as generation")

    reader = duckdb.connect(str(published), read_only=True)
    persons = reader.execute("select count(*) from analytics.dim_persons").fetchone()[0]
    # output to a file: a pipe nobody reads while polling would stall the refresh once full
    log = tmp_path / "refresh.log"
    with log.open("w") as out:
        running = subprocess.Popen(
            refresh_command(path, now, build=True),
            cwd=PROJECT_DIR,
            env=dbt_env(defective_warehouse.raw_path, path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        reads = 0
        while running.poll() is None:
            count = reader.execute("select count(*) from analytics.dim_persons").fetchone()[0]
            assert count == persons
            reads += 1
            time.sleep(0.5)
    output = log.read_text()
    assert running.returncode == 0, output[-3000:]
    assert "published read-only copy" in output and "refresh complete" in output
    assert reads > 10, "the refresh ran while the reader read"

    # the reader keeps its version; a new connection reads the new one
    assert reader.execute("select count(*) from analytics.dim_persons").fetchone()[0] == persons
    old_tables = reader.execute("select table_name from information_schema.tables").fetchall()
    assert ("refresh_generation",) not in old_tables
    reader.close()
    with duckdb.connect(str(published), read_only=True) as fresh:
        assert fresh.execute(f"select generation from {MARKER}").fetchone()[0] == 2
