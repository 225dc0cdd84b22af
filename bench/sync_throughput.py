"""Benchmark: sync throughput against the local fake platforms of the test suite. Run by hand
(never in CI):

    .venv/bin/python bench/sync_throughput.py --members 1000000 --out /some/scratch/dir

For each destination named (default meta_ads, google_ads, mailchimp): an initial sync of
--members members of one segment, then a 1% change (0.5% leave, 0.5% join) synced again. Prints
one Markdown row per destination and sync for BENCHMARKS.md: members, changed members, seconds,
changed members per second, requests, and the peak resident memory of the sync's processes.

The fake platform runs in a process of its own, as a platform would be elsewhere: its JSON
parsing and validation use the machine's cores but not the sync's interpreter. Each sync runs in
a fresh process, so its peak memory is its own (the process and its preparing workers, summed:
an upper bound of their peak together)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orchestration.sync.config import load_config  # noqa: E402
from orchestration.sync.destinations import build_destination  # noqa: E402
from orchestration.sync.engine import run_sync  # noqa: E402
from orchestration.warehouse import connect_file  # noqa: E402
from tests.sync.conftest import SEGMENT, Warehouse, person  # noqa: E402
from tests.sync.platforms import CONNECTIONS, PLATFORMS, SECRETS, write_config  # noqa: E402


def serve(name: str, pipe) -> None:
    """The fake platform, until the parent says stop."""
    with PLATFORMS[name]() as fake:
        pipe.send(fake.url)
        pipe.recv()


def sync(warehouse_path: Path, config_path: Path, name: str, pipe) -> None:
    """One sync in this (fresh) process; sends back the run, its seconds and peak MiB."""
    os.environ.update(SECRETS)
    destination = build_destination(load_config(config_path)[name])
    started = time.perf_counter()
    with connect_file(warehouse_path) as con:
        run = run_sync(con, destination, SEGMENT)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    pipe.send((run, seconds, (own + workers) / 1024))


def measured(context, warehouse: Warehouse, config_path: Path, name: str):
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=sync, args=(warehouse.path, config_path, name, send))
    process.start()
    result = receive.recv()
    process.join()
    return result


def row(name: str, label: str, members: int, changed: int, result) -> str:
    run, seconds, peak = result
    assert run.status == "success", run.error
    return (
        f"| {name} | {label} | {members:,} | {changed:,} | {seconds:.1f} "
        f"| {changed / seconds:,.0f} | {run.requests:,} | {peak:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument(
        "--destinations", nargs="+", default=["meta_ads", "google_ads", "mailchimp"]
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("spawn")
    people = [person(i) for i in range(args.members)]
    step = 200  # 0.5% leave, 0.5% join
    kept = [p for i, p in enumerate(people) if i % step]
    joined = [person(i) for i in range(10**8, 10**8 + args.members // step)]
    later = kept + joined
    changed = len(people) - len(kept) + len(joined)
    print("| destination | sync | members | changed | seconds | members/s | requests | peak MiB |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in args.destinations:
        warehouse = Warehouse(args.out / f"{name}.duckdb")
        warehouse.path.unlink(missing_ok=True)
        warehouse.record_check(passed=True)
        warehouse.set_members(name, people)
        control, child = context.Pipe()
        server = context.Process(target=serve, args=(name, child), daemon=True)
        server.start()
        body = CONNECTIONS[name] | {"base_url": control.recv()}
        config_path = write_config(args.out / f"{name}.yml", {name: body}, timeout=120)
        result = measured(context, warehouse, config_path, name)
        print(row(name, "initial", len(people), len(people), result), flush=True)
        warehouse.set_members(name, later)
        result = measured(context, warehouse, config_path, name)
        print(row(name, "1% change", len(later), changed, result), flush=True)
        control.send("stop")
        server.join()


if __name__ == "__main__":
    main()
