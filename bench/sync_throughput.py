"""Benchmark: sync throughput against the local fake platforms of the test suite. Run by hand
(never in CI):

    .venv/bin/python bench/sync_throughput.py --members 1000000 --out /some/scratch/dir

For each destination named (default meta_ads, google_ads, mailchimp): an initial sync of
--members members of one segment, then a 1% change (0.5% leave, 0.5% join) synced again. Prints
one Markdown row per destination and sync for BENCHMARKS.md: members, changed members, seconds,
members per second, requests, and the peak resident memory of this process. The fake platform
runs in this process too, so its parsing and validation share the CPU with the sync."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orchestration.sync.config import load_config  # noqa: E402
from orchestration.sync.destinations import build_destination  # noqa: E402
from orchestration.sync.engine import run_sync  # noqa: E402
from tests.sync.conftest import SEGMENT, Warehouse, person  # noqa: E402
from tests.sync.platforms import CONNECTIONS, PLATFORMS, SECRETS, write_config  # noqa: E402


def sync(warehouse: Warehouse, config_path: Path, name: str):
    destination = build_destination(load_config(config_path)[name])
    started = time.perf_counter()
    with duckdb.connect(str(warehouse.path)) as con:
        run = run_sync(con, destination, SEGMENT)
    return run, time.perf_counter() - started


def row(name: str, label: str, members: int, changed: int, run, seconds: float) -> str:
    assert run.status == "success", run.error
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = changed / seconds
    return (
        f"| {name} | {label} | {members:,} | {changed:,} | {seconds:.1f} | {rate:,.0f} "
        f"| {run.requests:,} | {peak:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument(
        "--destinations", nargs="+", default=["meta_ads", "google_ads", "mailchimp"]
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.update(SECRETS)
    args.out.mkdir(parents=True, exist_ok=True)
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
        with PLATFORMS[name]() as fake:
            body = CONNECTIONS[name] | {"base_url": fake.url}
            config_path = write_config(args.out / f"{name}.yml", {name: body}, timeout=120)
            run, seconds = sync(warehouse, config_path, name)
            print(row(name, "initial", len(people), len(people), run, seconds), flush=True)
            warehouse.set_members(name, later)
            run, seconds = sync(warehouse, config_path, name)
            print(row(name, "1% change", len(later), changed, run, seconds), flush=True)


if __name__ == "__main__":
    main()
