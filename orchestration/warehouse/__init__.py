"""Warehouse access for the whole Python side: quality checks, syncs, sensors, reports and
benchmarks connect here and nowhere else, on the engine of the dbt target (DuckDB or Spark).

`connect()` gives a Warehouse (orchestration/warehouse/connection.py); engine errors arrive as
WarehouseError, MissingRelation or WarehouseBusy. Relation names come from the dbt manifest
(orchestration/relations.py)."""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import Setting, as_setting
from orchestration.warehouse import location
from orchestration.warehouse.connection import Result, Warehouse
from orchestration.warehouse.errors import MissingRelation, WarehouseBusy, WarehouseError
from orchestration.warehouse.location import (
    BUSY_EXIT_CODE,
    DEFAULT_DUCKDB_PATH,
    DEFAULT_RAW_PATH,
    add_warehouse_argument,
    warehouse_path,
    warehouse_setting,
)
from orchestration.warehouse.target import Target, TargetInvalid, active_target

__all__ = [
    "BUSY_EXIT_CODE",
    "DEFAULT_DUCKDB_PATH",
    "DEFAULT_RAW_PATH",
    "MissingRelation",
    "Result",
    "Target",
    "TargetInvalid",
    "Warehouse",
    "WarehouseBusy",
    "WarehouseError",
    "active_target",
    "add_warehouse_argument",
    "connect",
    "connect_file",
    "connect_read_only",
    "existing_warehouse",
    "warehouse_path",
    "warehouse_setting",
]


def connect(
    path: Path | None = None, read_only: bool = False, target: Target | None = None
) -> Warehouse:
    """A connection to the target's warehouse. On DuckDB, the file `path` (else the one
    AUDIENCE_DUCKDB_PATH names); WarehouseBusy when another process holds a lock on it (DuckDB
    allows one writing process, or any number of readers and no writer). On Spark, the
    session's catalog, or the Thrift server's (`method: thrift`); `path` and `read_only` do not
    apply."""
    target = target or active_target()
    if target.type == "spark" and target.settings.get("method") == "thrift":
        from orchestration.warehouse.thrift_engine import ThriftWarehouse

        return ThriftWarehouse(target)
    if target.type == "spark":
        from orchestration.warehouse.spark_engine import SparkWarehouse

        return SparkWarehouse(target)
    return connect_file(path or warehouse_path(), read_only=read_only)


def existing_warehouse(
    warehouse: Setting[Path] | Path | None = None, target: Target | None = None
) -> Path:
    """The DuckDB file's path; FileNotFoundError, naming where the path came from, when no file
    is there (a connection would create an empty warehouse). On Spark the path does not apply
    and is returned unchecked."""
    if (target or active_target()).type == "spark":
        return as_setting(warehouse).value if warehouse is not None else warehouse_path()
    return location.existing_warehouse(warehouse)


def connect_read_only(warehouse: Setting[Path] | Path | None = None) -> Warehouse:
    """A read-only connection, so readers never take DuckDB's single write lock;
    FileNotFoundError, naming where the path came from, when no DuckDB file is there."""
    target = active_target()
    return connect(existing_warehouse(warehouse, target), read_only=True, target=target)


def connect_file(path: Path, read_only: bool = False) -> Warehouse:
    """A DuckDB file of its own, whatever the target's engine: the published serving copy the
    lookup API and the report read."""
    from orchestration.warehouse.duckdb_engine import DuckDBWarehouse

    return DuckDBWarehouse(path, read_only=read_only)
