"""Benchmark: speed, memory and scaling of the whole pipeline on generated data, against the
lower bound (one DuckDB pass over the raw events) and a pandas baseline. Run by hand, never in
`make test`, on a machine doing nothing else:

    .venv/bin/pip install -e '.[dev,bench]'
    .venv/bin/python bench/scaling.py --work <scratch dir> --sizes 100k 1m 10m 50m
    .venv/bin/python bench/report.py --work <scratch dir>

For each size it generates the data once (kept in <work>/events-<size>), then in a fresh
<work>/run-<size>: holds back the last 25 hours of events received, runs the lower bound, a full
`dbt build`, dbt's start-up (a build selecting nothing), `audience check`, a sync dry run of the
largest audience and the pandas baseline, then adds one day of events and builds, then one hour
and builds. Builds leave out the unit tests, as production refreshes do; the incremental ones
also keep the last fit of the retrained models, as the hourly refresh does. Each step records
wall seconds and the peak resident memory of its process tree; results accumulate in
<work>/results.json after every step (a size run again replaces its entry)."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import duckdb
import psutil
from dbt_env import SALT, dbt_env
from measure import Measured, measured

from orchestration.dbt_build import PRODUCTION_EXCLUSIONS, RETRAIN_SELECT
from orchestration.sync.config import load_config

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# users for about this many events in 30 days (the generator gives ~25.8 events per user)
SIZES = {"100k": 3_900, "1m": 39_000, "10m": 390_000, "50m": 1_950_000}
EVENT_TABLES = ("tracks", "pages", "identifies")
# the pandas baseline holds about this many bytes per event at its peak
PANDAS_BYTES_PER_EVENT = 400
VERSIONS = ("dbt-core", "dbt-duckdb", "duckdb", "great-expectations", "pandas", "pyarrow")
SCORED_MODELS = ("int_persons_rfm_scored", "int_lifecycle_stages_evaluated")


def generate(size: str, data: Path) -> dict:
    """The generator's manifest for the size, generating the data first when missing."""
    if not (data / "manifest.json").exists():
        command = [str(BIN / "audience"), "generate", "--users", str(SIZES[size]), "--days", "30"]
        measured([*command, "--out", str(data), "--no-progress"], dict(os.environ), ROOT)
    return json.loads((data / "manifest.json").read_text())


def split_raw(source: Path, run: Path, hour_start: datetime.datetime) -> dict[str, Path]:
    """run/raw gets every table, the event tables only with the rows received before
    hour_start - 1 day; the rows received in that day and from hour_start on are written under
    run/held/day and run/held/hour, returned to be moved into run/raw later."""
    day_start = hour_start - datetime.timedelta(days=1)
    con = duckdb.connect()
    parts = {"day": run / "held" / "day", "hour": run / "held" / "hour"}
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        if folder.name not in EVENT_TABLES:
            (run / "raw" / folder.name).symlink_to(folder.resolve(), target_is_directory=True)
            continue
        files = f"read_parquet('{folder.resolve().as_posix()}/*.parquet')"
        windows = {
            run / "raw": f"received_at < '{day_start.isoformat()}' or received_at is null",
            parts["day"]: f"received_at >= '{day_start.isoformat()}' "
            f"and received_at < '{hour_start.isoformat()}'",
            parts["hour"]: f"received_at >= '{hour_start.isoformat()}'",
        }
        for target, where in windows.items():
            (target / folder.name).mkdir(parents=True, exist_ok=True)
            out = (target / folder.name / f"part-{target.name}.parquet").as_posix()
            con.execute(f"copy (select * from {files} where {where}) to '{out}' (format parquet)")
    return parts


def add_part(part: Path, raw: Path) -> None:
    for folder in part.iterdir():
        for file in folder.iterdir():
            shutil.move(file, raw / folder.name / file.name)


def events_in(raw: Path) -> int:
    union = " union all ".join(
        f"select count(*) as n from read_parquet('{raw.as_posix()}/{t}/*.parquet')"
        for t in EVENT_TABLES
    )
    return duckdb.connect().execute(f"select sum(n) from ({union})").fetchone()[0]


def step(result: Measured, rows: int | None = None) -> dict:
    entry = {"seconds": round(result.seconds, 2), "peak_mib": round(result.peak_mib)}
    if rows:
        entry["rows_per_second"] = round(rows / result.seconds)
    return entry


def dbt_build(command: list[str], env: dict[str, str], target: Path, rows: int | None) -> dict:
    """A measured `dbt build`; failing data tests are listed, not fatal (the run completed);
    nodes that errored are listed under "errors" with dbt's message (the size stops there)."""
    result = measured(command, env, ROOT, ok_codes=(0, 1))
    results = json.loads((target / "run_results.json").read_text())["results"]
    errors = {r["unique_id"]: r["message"] for r in results if r["status"] == "error"}
    entry = step(result, None if errors else rows)
    if errors:
        entry["errors"] = errors
    failed = [r["unique_id"] for r in results if r["status"] == "fail"]
    if failed:
        entry["failed_tests"] = failed
    return entry


def model_seconds(target: Path) -> dict[str, float]:
    """Execution seconds of each model of the last build in target/run_results.json."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {
        r["unique_id"].split(".")[-1]: round(r["execution_time"], 2)
        for r in results
        if r["unique_id"].startswith("model.")
    }


def slowest_models(seconds: dict[str, float]) -> dict[str, float]:
    """The ten models that took longest, slowest first."""
    return dict(sorted(seconds.items(), key=lambda kv: -kv[1])[:10])


def scored_path_seconds(target: Path, seconds: dict[str, float]) -> float:
    """Summed seconds of the models RFM scores and lifecycle stages are computed from."""
    parents = json.loads((target / "manifest.json").read_text())["parent_map"]
    wanted = [f"model.audience.{m}" for m in SCORED_MODELS]
    seen: set[str] = set()
    while wanted:
        node = wanted.pop()
        if node not in seen and node.startswith("model."):
            seen.add(node)
            wanted.extend(parents.get(node, []))
    return round(sum(seconds.get(node.split(".")[-1], 0) for node in seen), 2)


def largest_route(warehouse: Path) -> tuple[str, str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select segment_name, destination, routed_count "
            "from intermediate.int_segment_destinations_counted "
            "order by routed_count desc, segment_name, destination limit 1"
        ).fetchone()


def sync_env(env: dict[str, str]) -> dict[str, str]:
    """A placeholder for every credential destinations.yml names: a dry run sends nothing."""
    names = {v for config in load_config(None).values() for v in config.credentials.values()}
    return {**env, **{name: "bench-dry-run" for name in names if name not in env}}


def run_size(size: str, work: Path, memory_limit: str, threads: int, save: Callable) -> None:
    """Runs every step of one size, handing its entry to save after each step, so that a run
    stopped part way keeps what it measured."""
    data = work / f"events-{size}"
    manifest = generate(size, data)
    start = datetime.datetime.fromisoformat(manifest["start_date"]).replace(tzinfo=datetime.UTC)
    period_end = start + datetime.timedelta(days=manifest["days"])
    run = work / f"run-{size}"
    shutil.rmtree(run, ignore_errors=True)
    (run / "raw").mkdir(parents=True)
    held = split_raw(data / "raw", run, period_end - datetime.timedelta(hours=1))
    raw, target, warehouse = run / "raw", run / "target", run / "audience.duckdb"
    env = dbt_env(
        ROOT,
        raw,
        warehouse,
        AUDIENCE_THREADS=str(threads),
        AUDIENCE_MEMORY_LIMIT=memory_limit,
        AUDIENCE_CHECK_NOW=period_end.isoformat(),
        AUDIENCE_PII_SALT=os.environ.get("AUDIENCE_PII_SALT", SALT),
    )
    # as the refreshes build: the nightly one in full, the hourly ones keeping the last fit
    build = [str(BIN / "dbt"), "build", "--target-path", str(target), *PRODUCTION_EXCLUSIONS]
    hourly = [*build, "--exclude", RETRAIN_SELECT]
    events = events_in(raw)
    entry: dict = {"events": events, "users": SIZES[size], "steps": {}}
    print(f"{size}: {events:,} events in the full build", flush=True)

    def record(name: str, value: dict) -> None:
        entry["steps"][name] = value
        entry["warehouse_mib"] = (
            round(warehouse.stat().st_size / 2**20) if warehouse.exists() else 0
        )
        save(entry)
        print(f"{size} {name}: {json.dumps(value)}", flush=True)

    lower = [sys.executable, str(ROOT / "bench" / "lower_bound.py"), "--raw", str(raw)]
    lower += ["--memory-limit", memory_limit, "--threads", str(threads)]
    record("lower_bound", step(measured(lower, env, ROOT), events))
    # parsed first (untimed), as every later build finds it: the full build times the build
    measured([str(BIN / "dbt"), "parse", "--target-path", str(target)], env, ROOT)
    full_build = dbt_build(build, env, target, events)
    seconds = model_seconds(target)
    entry["scored_path_seconds"] = scored_path_seconds(target, seconds)
    entry["slowest_models"] = slowest_models(seconds)
    record("full_build", full_build)
    if "errors" in full_build:
        return
    shutil.copy(target / "run_results.json", run / "full_build_run_results.json")
    startups = [measured([*build, "--select", "none_such_node"], env, ROOT) for _ in range(3)]
    record("dbt_startup", step(min(startups, key=lambda m: m.seconds)))
    record("quality_check", step(measured([str(BIN / "audience"), "check"], env, ROOT)))
    segment, destination, members = largest_route(warehouse)
    sync = [str(BIN / "audience"), "sync", "--segment", segment, "--destination", destination]
    sync += ["--dry-run", "--no-progress"]
    sync_step = step(measured(sync, sync_env(env), ROOT))
    record(
        "sync_dry_run",
        {**sync_step, "segment": segment, "destination": destination, "members": members},
    )
    available = psutil.virtual_memory().total
    if events * PANDAS_BYTES_PER_EVENT < available / 2:
        pandas = [sys.executable, str(ROOT / "bench" / "pandas_baseline.py"), "--raw", str(raw)]
        record("pandas_baseline", step(measured(pandas, env, ROOT), events))
    for part in ("day", "hour"):
        new_events = events_in(held[part])
        add_part(held[part], raw)
        incremental = dbt_build(hourly, env, target, None)
        slowest = slowest_models(model_seconds(target))
        record(
            f"incremental_{part}",
            {**incremental, "new_events": new_events, "slowest_models": slowest},
        )
        if "errors" in incremental:
            return


def machine(memory_limit: str, threads: int) -> dict:
    return {
        "date": datetime.date.today().isoformat(),
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30),
        "system": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "versions": {name: metadata.version(name) for name in VERSIONS},
        "duckdb_memory_limit": memory_limit,
        "threads": threads,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="scratch folder for data and runs")
    parser.add_argument("--sizes", nargs="+", choices=SIZES, default=list(SIZES))
    parser.add_argument("--memory-limit", default="8GB", help="DuckDB memory_limit (default 8GB)")
    parser.add_argument("--threads", type=int, default=2, help="dbt and DuckDB threads (default 2)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results_path = args.work / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {"sizes": {}}
    results["machine"] = machine(args.memory_limit, args.threads)
    for size in args.sizes:

        def save(entry: dict, size: str = size) -> None:
            results["sizes"][size] = entry
            results_path.write_text(json.dumps(results, indent=2) + "\n")

        run_size(size, args.work, args.memory_limit, args.threads, save)


if __name__ == "__main__":
    main()
