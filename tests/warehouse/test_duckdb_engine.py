"""The DuckDB engine answers as the access module promises on every engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from orchestration.relations import Relation
from orchestration.warehouse import MissingRelation, WarehouseBusy, WarehouseError, connect_file


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "audience.duckdb"
    with connect_file(path) as con:
        con.execute("create schema analytics")
        con.execute("create table analytics.persons (person_id varchar, orders integer)")
        con.execute("insert into analytics.persons values ('p1', 2), ('p2', null)")
        con.execute("create view analytics.buyers as select * from analytics.persons where orders")
    return path


def test_statements_take_parameters_and_answer_as_rows_frames_or_arrow(path: Path) -> None:
    with connect_file(path, read_only=True) as con:
        query = "select person_id from analytics.persons where person_id = ?"
        assert con.execute(query, ["p1"]).fetchall() == [("p1",)]
        assert con.execute(query, ["p2"]).df().equals(pd.DataFrame({"person_id": ["p2"]}))
        assert con.arrow(query, ["p1"]).to_pylist() == [{"person_id": "p1"}]


def test_the_catalog_lists_tables_and_views_but_not_an_attached_file(
    path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.duckdb"
    with connect_file(other) as con:
        con.execute("create schema analytics")
        con.execute("create table analytics.elsewhere (person_id varchar)")
    with connect_file(path) as con:
        con.execute(f"attach '{other}' as other (read_only true)")
        assert con.relation_names("analytics") == ["buyers", "persons"]
        assert con.columns(Relation("analytics", "persons")) == [
            ("person_id", "VARCHAR"),
            ("orders", "INTEGER"),
        ]
        assert not con.has_relation(Relation("analytics", "elsewhere"))
        assert con.columns(Relation("analytics", "elsewhere")) == []
        assert con.relation_names("nowhere") == []


def test_engine_errors_arrive_as_the_module_s_own(path: Path) -> None:
    with connect_file(path) as con:
        with pytest.raises(MissingRelation):
            con.execute("select * from analytics.nothing")
        with pytest.raises(WarehouseError) as raised:
            con.execute("select cast('x' as integer)")
        assert not isinstance(raised.value, MissingRelation)


def test_registered_frames_are_readable_until_unregistered(path: Path) -> None:
    with connect_file(path) as con:
        con.register("asked", pa.table({"person_id": ["p2"]}))
        assert con.execute("select count(*) from asked").fetchall() == [(1,)]
        con.unregister("asked")
        with pytest.raises(MissingRelation):
            con.execute("select count(*) from asked")


def test_a_writer_holding_the_file_makes_another_process_wait_with_a_reason(path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); "
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match=rf"in use by process {holder.pid}"):
            connect_file(path)
    finally:
        holder.kill()
        holder.wait()
