"""Where the DuckDB warehouse lives, and read-only connections to it."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_DUCKDB_PATH = "data/audience.duckdb"


def warehouse_path() -> Path:
    """The DuckDB file dbt writes, from AUDIENCE_DUCKDB_PATH as profiles.yml reads it."""
    return Path(os.environ.get("AUDIENCE_DUCKDB_PATH", DEFAULT_DUCKDB_PATH))


def connect_read_only(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection, so readers never take DuckDB's single write lock."""
    path = path or warehouse_path()
    if not path.exists():
        raise FileNotFoundError(
            f"No warehouse at {path} (env AUDIENCE_DUCKDB_PATH): run `dbt build` first."
        )
    return duckdb.connect(str(path), read_only=True)
