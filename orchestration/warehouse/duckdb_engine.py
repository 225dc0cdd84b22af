"""The DuckDB engine: a file on this machine, one writing process or any number of readers.
DuckDB's own Python client, not the dbt adapter's connection: the adapter opens files
read-write only, and readers must not take the write lock a running refresh needs."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from orchestration.relations import Relation
from orchestration.warehouse.connection import Result, Warehouse
from orchestration.warehouse.errors import MissingRelation, WarehouseBusy, WarehouseError

_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except duckdb.CatalogException as error:
        raise MissingRelation(str(error)) from error
    except duckdb.Error as error:
        raise WarehouseError(str(error)) from error


def _busy(path: Path, error: duckdb.IOException) -> WarehouseBusy:
    holder = _HOLDER.search(str(error))
    who = (
        f"process {holder['pid']} ({Path(holder['program']).name})" if holder else "another process"
    )
    return WarehouseBusy(
        f"the warehouse {path} is in use by {who}: wait for that refresh or sync to "
        "finish, or close the tool holding it open (BI tools should read a copy or "
        "connect read-only between runs), then run this again"
    )


class DuckDBWarehouse(Warehouse):
    engine = "duckdb"

    def __init__(self, path: Path, read_only: bool = False):
        try:
            self.con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            if "Could not set lock" not in str(error):
                raise WarehouseError(str(error)) from error
            raise _busy(path, error) from None
        # DuckDB draws progress bars on stdout for long queries; the commands print for people
        self.con.execute("set enable_progress_bar = false")

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        with _errors():
            return self.con.execute(sql, params)

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        with _errors():
            return self.con.sql(sql, params=params).to_arrow_table()

    def register(self, name: str, data: pa.Table | pd.DataFrame) -> None:
        self.con.register(name, data)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    def relation_names(self, schema: str) -> list[str]:
        rows = self.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = ? order by table_name",
            [schema],
        ).fetchall()
        return [name for (name,) in rows]

    def columns(self, relation: Relation) -> list[tuple[str, str]]:
        return self.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = current_database() and table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [relation.schema, relation.name],
        ).fetchall()

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def many_small_writes(self) -> Iterator[None]:
        """DuckDB would checkpoint the whole table every 16 MB of small transactions; the writes
        stay in the write-ahead log (durable as ever) and are checkpointed once at the end."""
        ((threshold,),) = self.con.execute(
            "select current_setting('checkpoint_threshold')"
        ).fetchall()
        self.con.execute("set checkpoint_threshold = '4GB'")
        try:
            yield
        finally:
            self.con.execute(f"set checkpoint_threshold = '{threshold}'")
            with suppress(duckdb.Error):  # another writer's transaction: theirs to do
                self.con.execute("checkpoint")
