"""Where the DuckDB warehouse lives, and connections to it that say plainly when another
process holds it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

DEFAULT_DUCKDB_PATH = "data/audience.duckdb"
# sysexits EX_TEMPFAIL: try again later, the command did nothing wrong
BUSY_EXIT_CODE = 75
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse file; the message says who and what to do."""

    kind = "busy"


def warehouse_path() -> Path:
    """The DuckDB file dbt writes, from AUDIENCE_DUCKDB_PATH as profiles.yml reads it."""
    return Path(os.environ.get("AUDIENCE_DUCKDB_PATH", DEFAULT_DUCKDB_PATH))


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


def connect_read_only(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection, so readers never take DuckDB's single write lock."""
    path = path or warehouse_path()
    if not path.exists():
        raise FileNotFoundError(
            f"No warehouse at {path} (env AUDIENCE_DUCKDB_PATH): run `dbt build` first."
        )
    return connect(path, read_only=True)
