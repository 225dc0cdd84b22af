"""Where the DuckDB warehouse lives, and connections to it that say plainly when another
process holds it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import duckdb

from orchestration.settings import Setting, as_setting, resolve

# The demo's, as profiles.yml's dev target: `make demo` builds it, plain `dbt build` writes it.
DEFAULT_DUCKDB_PATH = "data/demo/audience.duckdb"
DEFAULT_RAW_PATH = "data/demo/raw"
# sysexits EX_TEMPFAIL: try again later, the command did nothing wrong
BUSY_EXIT_CODE = 75
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse file; the message says who and what to do."""

    kind = "busy"


def warehouse_setting(given: Path | None = None) -> Setting[Path]:
    """The DuckDB file: --warehouse, else AUDIENCE_DUCKDB_PATH as profiles.yml reads it."""
    return resolve(given, "--warehouse", "AUDIENCE_DUCKDB_PATH", Path, Path(DEFAULT_DUCKDB_PATH))


def add_warehouse_argument(parser: argparse.ArgumentParser) -> None:
    """--warehouse, for every command that reads or writes the warehouse."""
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help=f"DuckDB file (default: env AUDIENCE_DUCKDB_PATH, else {DEFAULT_DUCKDB_PATH})",
    )


def warehouse_path() -> Path:
    """The DuckDB file dbt writes, from AUDIENCE_DUCKDB_PATH as profiles.yml reads it."""
    return warehouse_setting().value


def existing_warehouse(warehouse: Setting[Path] | Path | None = None) -> Path:
    """The warehouse's path; FileNotFoundError, naming where the path came from, when no file is
    there (a connection would create an empty warehouse)."""
    warehouse = as_setting(warehouse) if warehouse is not None else warehouse_setting()
    if not warehouse.value.exists():
        raise FileNotFoundError(f"No warehouse at {warehouse}: run `dbt build` first.")
    return warehouse.value


def connect(path: Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse; WarehouseBusy when another process holds a lock on it
    (DuckDB allows one writing process, or any number of readers and no writer)."""
    path = path or warehouse_path()
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        holder = _HOLDER.search(str(error))
        if "Could not set lock" not in str(error):
            raise
        who = (
            f"process {holder['pid']} ({Path(holder['program']).name})"
            if holder
            else "another process"
        )
        raise WarehouseBusy(
            f"the warehouse {path} is in use by {who}: wait for that refresh or sync to "
            "finish, or close the tool holding it open (BI tools should read a copy or "
            "connect read-only between runs), then run this again"
        ) from None
    # DuckDB draws progress bars on stdout for long queries; the commands print for people
    con.execute("set enable_progress_bar = false")
    return con


def has_relation(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """Whether the connected warehouse holds the table or view `schema.name`: for the state
    tables dbt does not build and the models a command can meet unbuilt."""
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


def connect_read_only(warehouse: Setting[Path] | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection, so readers never take DuckDB's single write lock."""
    return connect(existing_warehouse(warehouse), read_only=True)
