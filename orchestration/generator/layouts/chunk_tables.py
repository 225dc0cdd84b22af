"""The chunk's json_properties event tables in an in-memory DuckDB, for a layout to rewrite."""

from __future__ import annotations

import duckdb
import pyarrow as pa

IS_OBJECT = "properties is null or (json_valid(properties) and json_type(properties) = 'OBJECT')"


def chunk_connection(tables: dict[str, pa.Table]) -> duckdb.DuckDBPyConnection:
    """A connection with each table as `<name>_in`, and `carried`: the tracks whose properties
    a layout can hold (none, or a JSON object)."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    for name, data in tables.items():
        con.register(f"{name}_in", data)
    con.execute(f"create table carried as select * from tracks_in where {IS_OBJECT}")
    return con
