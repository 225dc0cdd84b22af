"""Benchmark: the ways the Python side could read the warehouse, compared on the read a sync
makes (every export row of a segment with its fingerprint, as an initial sync reads them) and
on memory. Run by hand (never in CI):

    .venv/bin/python bench/warehouse_access.py --members 1000000 --out /some/scratch/dir

Each way runs in a fresh process: its set-up (imports, configuration, connection), the read, and
the process's peak resident memory. One Markdown row per way for BENCHMARKS.md. ibis is tried
when it is importable (it is not a dependency of the project)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sync.conftest import SEGMENT, Warehouse, person  # noqa: E402

DESTINATION = "meta_ads"
QUERY = (
    "select *, md5({version} || to_json(e)) as source_fingerprint "
    f"from exports.exp_{DESTINATION} as e where segment_name = {{segment}} order by person_id"
)
PARAMS = ["v1", SEGMENT]


def access_module(path: Path, as_arrow: bool) -> Callable[[], int]:
    from orchestration.warehouse import connect_file

    con = connect_file(path, read_only=True)
    query = QUERY.format(version="?", segment="?")
    if as_arrow:
        return lambda: con.arrow(query, PARAMS).num_rows
    return lambda: len(con.execute(query, PARAMS).fetchall())


def dbt_adapter(path: Path, through_cursor: bool) -> Callable[[], int]:
    """dbt-duckdb's adapter from profiles.yml, as dbt builds it for a command."""
    os.environ.update(
        {"DBT_PROFILES_DIR": str(ROOT), "AUDIENCE_TARGET": "ci", "AUDIENCE_DUCKDB_PATH": str(path)}
    )
    from dbt.adapters.factory import get_adapter, register_adapter
    from dbt.cli.flags import Flags
    from dbt.cli.main import cli
    from dbt.config.runtime import RuntimeConfig
    from dbt.flags import set_from_args
    from dbt.mp_context import get_mp_context
    from dbt_common.context import set_invocation_context

    set_invocation_context(os.environ)
    parent = cli.make_context("dbt", ["run"])
    flags = Flags(cli.commands["run"].make_context("run", [], parent=parent))
    set_from_args(flags, None)
    config = RuntimeConfig.from_args(flags)
    register_adapter(config, get_mp_context())
    adapter = get_adapter(config)
    adapter.acquire_connection("bench")
    if through_cursor:
        cursor = adapter.connections.get_thread_connection().handle.cursor()
        query = QUERY.format(version="?", segment="?")
        return lambda: len(cursor.execute(query, PARAMS).fetchall())
    # the adapter's execute takes no parameters: values go into the statement's text
    literal = QUERY.format(version="'v1'", segment=f"'{SEGMENT}'")
    return lambda: len(adapter.execute(literal, fetch=True)[1].rows)


def ibis_duckdb(path: Path) -> Callable[[], int]:
    import ibis

    con = ibis.duckdb.connect(str(path), read_only=True)
    literal = QUERY.format(version="'v1'", segment=f"'{SEGMENT}'")
    return lambda: con.sql(literal).to_pyarrow().num_rows


WAYS: dict[str, Callable[[Path], Callable[[], int]]] = {
    "access module (DuckDB client), Arrow": lambda p: access_module(p, as_arrow=True),
    "access module (DuckDB client), rows": lambda p: access_module(p, as_arrow=False),
    "dbt adapter, execute (agate table)": lambda p: dbt_adapter(p, through_cursor=False),
    "dbt adapter's connection, cursor rows": lambda p: dbt_adapter(p, through_cursor=True),
    "ibis (DuckDB backend), Arrow": ibis_duckdb,
}


def measure(way: str, path: Path, pipe) -> None:
    started = time.perf_counter()
    try:
        read = WAYS[way](path)
        ready = time.perf_counter()
        rows = read()
    except Exception as error:  # a way that cannot run here is reported, not fatal
        pipe.send((way, None, None, None, f"{type(error).__name__}: {str(error)[:120]}"))
        return
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pipe.send((way, ready - started, done - ready, peak, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    warehouse = Warehouse(args.out / "access.duckdb")
    warehouse.path.unlink(missing_ok=True)
    warehouse.set_members(DESTINATION, [person(i) for i in range(args.members)])
    context = multiprocessing.get_context("spawn")
    print("| way | set-up s | read s | rows/s | peak MiB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for way in WAYS:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=measure, args=(way, warehouse.path, send))
        process.start()
        name, setup, seconds, peak, rows = receive.recv()
        process.join()
        if seconds is None:
            print(f"| {name} | fails: {rows} | | | |", flush=True)
            continue
        assert rows == args.members, (name, rows)
        print(
            f"| {name} | {setup:.2f} | {seconds:.2f} | {rows / seconds:,.0f} | {peak:,.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
