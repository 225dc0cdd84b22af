"""Segment's and RudderStack's warehouse layout: `tracks` without properties, one table per
event named snake_case(event) holding the common columns and one column per property, `pages`
and `identifies` as in the sources YAML, and `users` with each user's latest traits."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa

from ..contract import Contract
from .chunk_tables import chunk_connection
from .naming import rudderstack_name, snake_case

SQL_TYPES = {"string": "varchar", "number": "double", "integer": "bigint", "boolean": "boolean"}
TRAITS = ("email", "phone", "first_name", "last_name")


def _property_column(
    con: duckdb.DuckDBPyConnection,
    events: list[str],
    key: str,
    kind: str,
    name: Callable[[str], str],
) -> str:
    """SQL of one property column: the declared type when every value of the chunk casts
    (an integer only from whole-number text, as DuckDB would round 2.5), else the values as
    sent (text), as a warehouse destination widens a column."""
    text = f"json_extract_string(properties, '$.\"{key}\"')"
    sql_type = SQL_TYPES[kind]
    if sql_type != "varchar":
        whole = f" or not regexp_full_match({text}, '-?[0-9]+')" if kind == "integer" else ""
        failed = con.execute(
            f"select count(*) from carried where list_contains(?, event_text) "
            f"and {text} is not null and (try_cast({text} as {sql_type}) is null{whole})",
            [events],
        ).fetchall()[0][0]
        if not failed:
            return f"cast({text} as {sql_type}) as {name(key)}"
    return f"{text} as {name(key)}"


def _convert(
    tables: dict[str, pa.Table],
    contract: Contract,
    name: Callable[[str], str],
    user_traits_prefix: str,
) -> tuple[dict[str, pa.Table], int]:
    con = chunk_connection(tables)
    carried = con.sql("select count(*) from carried").fetchall()[0][0]
    common = ", ".join(f'"{c}"' for c in tables["tracks"].schema.names if c != "properties")
    out = {
        "tracks": con.sql(f"select {common} from carried").to_arrow_table(),
        "pages": tables["pages"],
        "identifies": con.sql(
            "select *"
            + "".join(f", {t} as {user_traits_prefix}{t}" for t in TRAITS if user_traits_prefix)
            + " from identifies_in"
        ).to_arrow_table(),
        "users": con.sql(
            "select user_id as id, "
            + ", ".join(f"arg_max({t}, received_at) as {user_traits_prefix}{t}" for t in TRAITS)
            + ", max(received_at) as received_at from identifies_in "
            "where coalesce(user_id, '') <> '' group by user_id order by user_id"
        ).to_arrow_table(),
    }
    plan = {e.name: e for e in contract.tracking_plan}
    # names spelt differently (`Product Viewed`, `PRODUCT VIEWED`) share their event's table
    by_table: dict[str, list[str]] = {}
    for (event,) in con.sql("select distinct event_text from carried order by 1").fetchall():
        table = name(event or "")
        if table and table not in out:  # not an unnamed event, nor one named like a table
            by_table.setdefault(table, []).append(event)
    for table, events in by_table.items():
        planned = next((plan[e] for e in events if e in plan), None)
        if planned is not None:
            pairs = zip(planned.properties, planned.property_types, strict=True)
        else:
            keys = con.execute(
                "select distinct unnest(json_keys(properties)) from carried "
                "where list_contains(?, event_text) order by 1",
                [events],
            ).fetchall()
            pairs = ((k[0], "string") for k in keys)
        columns = [_property_column(con, events, key, kind, name) for key, kind in pairs]
        out[table] = con.sql(
            f"select {', '.join([common, *columns])} from carried "
            "where list_contains(?, event_text)",
            params=[events],
        ).to_arrow_table()
    return out, tables["tracks"].num_rows - carried


def segment_warehouse(
    tables: dict[str, pa.Table], contract: Contract
) -> tuple[dict[str, pa.Table], int]:
    """The chunk's event tables as Segment's warehouse destination writes them."""
    return _convert(tables, contract, snake_case, "")


def rudderstack_warehouse(
    tables: dict[str, pa.Table], contract: Contract
) -> tuple[dict[str, pa.Table], int]:
    """The chunk's event tables as RudderStack's warehouse destination writes them: identify
    traits also as context_traits_<trait>, and the users table's traits only so."""
    return _convert(tables, contract, rudderstack_name, "context_traits_")
