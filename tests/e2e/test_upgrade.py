"""Upgrading a warehouse built by an earlier release: the renamed incremental table keeps its
history, the old names answer as views until the next release, and counts kept as HUGEINT
become bigint."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.support import BuiltWarehouse, dbt_target, person_rebuilt_tables, run_dbt

pytestmark = pytest.mark.slow


def test_renamed_segment_sizes_keep_the_old_tables_history(
    defective_warehouse: BuiltWarehouse, tmp_path
):
    duckdb_path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    with duckdb.connect(str(duckdb_path)) as con:
        # the warehouse as release 0.1.0 left it: fct_segment_sizes a table, holding an older day
        con.execute("drop view analytics.fct_segment_sizes")
        con.execute(
            "create table analytics.fct_segment_sizes as "
            "select * replace (as_of_date - interval 1 day as as_of_date, 7 as members) "
            "from analytics.agg_segment_sizes"
        )
        con.execute("drop table analytics.agg_segment_sizes")
        current = con.execute("select count(*) from analytics.fct_segment_sizes").fetchone()[0]

    result = run_dbt(
        ["run", "--select", "agg_segment_sizes", "fct_segment_sizes"],
        defective_warehouse.raw_path,
        duckdb_path,
    )
    assert result.returncode == 0, result.stdout[-3000:]

    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        days = con.execute(
            "select as_of_date, count(*), max(members) from analytics.agg_segment_sizes "
            "group by 1 order by 1"
        ).fetchall()
        old_name = con.execute(
            "select table_type from information_schema.tables "
            "where table_schema = 'analytics' and table_name = 'fct_segment_sizes'"
        ).fetchone()[0]
        through_view = con.execute("select count(*) from analytics.fct_segment_sizes").fetchone()[0]
    assert len(days) == 2
    assert days[0][1:] == (current, 7)
    assert days[1][1] == current
    assert old_name == "VIEW"
    assert through_view == 2 * current


def test_segment_sizes_kept_as_hugeint_become_bigint_with_their_history(
    defective_warehouse: BuiltWarehouse, tmp_path
):
    duckdb_path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    counts = ("members", "holdout_members", "suppressed_by_priority", "entries", "exits")
    with duckdb.connect(str(duckdb_path)) as con:
        # the table as release 0.2.0 left it: counts as HUGEINT, and an older day of history
        for column in counts:
            con.execute(
                f"alter table analytics.agg_segment_sizes alter column {column} type hugeint"
            )
        con.execute(
            "insert into analytics.agg_segment_sizes select * replace "
            "(as_of_date - interval 1 day as as_of_date) from analytics.agg_segment_sizes"
        )
        before = con.execute("select count(*) from analytics.agg_segment_sizes").fetchone()[0]

    result = run_dbt(
        ["run", "--select", "agg_segment_sizes"], defective_warehouse.raw_path, duckdb_path
    )
    assert result.returncode == 0, result.stdout[-3000:]

    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'analytics' and table_name = 'agg_segment_sizes'"
            ).fetchall()
        )
        after = con.execute("select count(*) from analytics.agg_segment_sizes").fetchone()[0]
    assert {column: types[column] for column in counts} == dict.fromkeys(counts, "BIGINT")
    assert after == before


def test_person_events_stored_without_the_incremental_columns_are_rebuilt_whole(
    defective_warehouse: BuiltWarehouse, tmp_path
):
    duckdb_path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    events = "intermediate.int_events_mapped_to_persons"
    new_columns = ["person_matched_value", "received_at"]
    with duckdb.connect(str(duckdb_path)) as con:
        columns = [row[0] for row in con.execute(f"describe {events}").fetchall()]
        built = con.execute(f"select * from {events} order by message_id").fetchall()
        # the table as release 0.2.0 left it: without the columns incremental runs read
        for column in new_columns:
            con.execute(f"alter table {events} drop column {column}")

    result = run_dbt(
        ["run", "--select", "int_events_mapped_to_persons"],
        defective_warehouse.raw_path,
        duckdb_path,
    )
    assert result.returncode == 0, result.stdout[-3000:]

    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        upgraded_columns = [row[0] for row in con.execute(f"describe {events}").fetchall()]
        upgraded = con.execute(
            f"select {', '.join(columns)} from {events} order by message_id"
        ).fetchall()
    assert upgraded_columns[-2:] == new_columns
    assert upgraded == built


def test_person_tables_stored_without_fingerprints_are_rebuilt_and_lose_stale_persons(
    defective_warehouse: BuiltWarehouse, tmp_path
):
    duckdb_path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    tables = sorted(person_rebuilt_tables(dbt_target(defective_warehouse.duckdb_path)))
    assert tables
    built = {}
    with duckdb.connect(str(duckdb_path)) as con:
        for table in tables:
            built[table] = con.execute(f"select * from {table} order by all").fetchall()
            # the table as release 0.2.0 left it, before the column incremental runs compare,
            # with a person who has no inputs any more
            con.execute(f"alter table {table} drop column input_fingerprint")
            con.execute(
                f"insert into {table} select * replace ('gone' as person_id) from {table} limit 1"
            )

    models = [table.split(".")[-1] for table in tables]
    result = run_dbt(["run", "--select", *models], defective_warehouse.raw_path, duckdb_path)
    assert result.returncode == 0, result.stdout[-3000:]

    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        for table in tables:
            upgraded = con.execute(f"select * from {table} order by all").fetchall()
            assert upgraded == built[table], table
