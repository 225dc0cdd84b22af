"""Benchmark: the time from the collector's acknowledgement of an event to the person's segment
membership answered by the lookup API, over about 1M events of history, with the raw files
sensor in place of the hourly schedule: the deployment of deploy/ (the Dagster daemon with the
sensor turned on, `audience collect`, `audience serve`) on generated data that ends today.

Each sample sends a new visitor's identify and a `Signed Up` track (segment new_users: a sign-up
in the last 14 days) and polls the API until the person is in the segment (or its holdout). The
phases come from the landed file's time and the Dagster run the sensor started.
Run by hand (never in CI):

    .venv/bin/python bench/event_to_audience.py --out /some/scratch/dir [--users 40000]

Prints Markdown rows for BENCHMARKS.md."""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import duckdb
import requests
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter
from dbt_env import dbt_env
from ports import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKSPACE = ROOT / "deploy" / "workspace.yaml"
SENSOR = "raw_files_sensor"
SEGMENT = "new_users"
WRITE_KEY = "bench-write-key"
TOKEN = "bench-api-token"
UNFINISHED = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
]


def timed(command: list[str], env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with log.open("a") as output:
        subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=output, check=True)
    return time.perf_counter() - started


def started(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("a") as output:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def wait_for(check, timeout: float, what: str, poll: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with_value = check()
        if with_value:
            return with_value
        time.sleep(poll)
    raise SystemExit(f"timed out waiting for {what}")


def events_in(raw: Path) -> int:
    tables = [f"'{raw / t}/**/*.parquet'" for t in ("tracks", "pages", "identifies")]
    with duckdb.connect() as con:
        return sum(
            con.execute(f"select count(*) from read_parquet({t})").fetchone()[0] for t in tables
        )


def environment(out: Path, raw: Path) -> dict[str, str]:
    clients = out / "api_clients.yml"
    token_hash = hashlib.sha256(TOKEN.encode()).hexdigest()
    clients.write_text(f"clients:\n  - name: bench\n    token_sha256: {token_hash}\n")
    return dbt_env(
        ROOT,
        raw,
        out / "audience.duckdb",
        AUDIENCE_TARGET="ci",
        AUDIENCE_PUBLISH_PATH=str(out / "published"),
        AUDIENCE_COLLECT_WRITE_KEYS=WRITE_KEY,
        AUDIENCE_API_CLIENTS_FILE=str(clients),
        DAGSTER_HOME=str(out / "dagster"),
    )


def send_sign_up(collector: str, user_id: str) -> float:
    """The visitor's identify and sign-up; the time of the acknowledgement."""
    now = datetime.datetime.now(datetime.UTC).isoformat()
    device = str(uuid.uuid4())
    common = {"userId": user_id, "anonymousId": device, "timestamp": now, "sentAt": now}
    batch = [
        {**common, "type": "identify", "messageId": str(uuid.uuid4()),
         "traits": {"email": f"{user_id}@example.com"}},
        {**common, "type": "track", "messageId": str(uuid.uuid4()), "event": "Signed Up",
         "properties": {"method": "email"}},
    ]  # fmt: skip
    response = requests.post(
        f"{collector}/v1/batch", json={"batch": batch}, auth=(WRITE_KEY, ""), timeout=10
    )
    response.raise_for_status()
    return time.time()


def in_segment(api: str, user_id: str) -> bool:
    response = requests.get(
        f"{api}/v1/profiles/user_id/{user_id}",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )
    if response.status_code != 200:
        return False
    profile = response.json()
    return SEGMENT in profile["segments"] + profile["holdout_segments"]


def newest_file_time(raw: Path) -> float:
    return max((p.stat().st_mtime for p in (raw / "tracks").glob("*.parquet")), default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--users", type=int, default=40_000)
    parser.add_argument("--samples", type=int, default=3)
    args = parser.parse_args()
    # stopped with SIGTERM (or as a background job, where SIGINT is ignored): stop the servers too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    out = args.out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    (out / "dagster").mkdir(parents=True)
    shutil.copy(ROOT / "deploy" / "dagster.yaml", out / "dagster" / "dagster.yaml")
    raw, log = out / "data" / "raw", out / "bench.log"
    env = environment(out, raw)
    start_date = datetime.date.today() - datetime.timedelta(days=29)
    generate = [str(BIN / "audience"), "generate", "--users", str(args.users), "--days", "30"]
    generate += ["--start-date", start_date.isoformat(), "--out", str(out / "data")]
    seconds = timed([*generate, "--no-progress"], env, log)
    print(f"generated {events_in(raw):,} events in {seconds:.0f} s", flush=True)
    nightly = [str(BIN / "dg"), "launch", "--job", "nightly_refresh"]
    seconds = timed([*nightly, "-m", "orchestration.definitions"], env, log)
    print(f"nightly refresh (full build, gates, exports, publish): {seconds:.0f} s", flush=True)

    from orchestration.defs.sensors import raw_files

    dagster = [str(BIN / "dagster"), "sensor"]
    timed([*dagster, "start", SENSOR, "-w", str(WORKSPACE)], env, log)
    cursor = json.dumps(raw_files(raw), sort_keys=True)
    timed([*dagster, "cursor", SENSOR, "--set", cursor, "-w", str(WORKSPACE)], env, log)
    collector, api = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    processes = [
        started([str(BIN / "dagster-daemon"), "run", "-w", str(WORKSPACE)], env, log),
        started(
            [str(BIN / "audience"), "collect", "--port", collector.rsplit(":", 1)[1],
             "--flush-seconds", "1"], env, log,
        ),
        started([str(BIN / "audience"), "serve", "--port", api.rsplit(":", 1)[1]], env, log),
    ]  # fmt: skip
    os.environ["DAGSTER_HOME"] = env["DAGSTER_HOME"]
    try:
        wait_for(lambda: f"sensor: {SENSOR}" in log.read_text(), 180, "the sensor's first tick")
        print("| sample | ack → landed s | landed → run queued s | run s | → API s | total s |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        with DagsterInstance.get() as instance:
            for sample in range(args.samples):
                user_id = f"bench-{sample}-{uuid.uuid4().hex[:8]}"
                acknowledged = send_sign_up(collector, user_id)
                landed = wait_for(
                    lambda after=acknowledged - 1: (t := newest_file_time(raw)) > after and t,
                    60,
                    "landing",
                )
                wait_for(lambda uid=user_id: in_segment(api, uid), 900, "membership", poll=0.5)
                visible = time.time()
                run = instance.get_run_records(RunsFilter(job_name="hourly_refresh"), limit=1)[0]
                queued, ended = run.create_timestamp.timestamp(), run.end_time or visible
                phases = [landed - acknowledged, queued - landed, ended - queued, visible - ended]
                cells = " | ".join(f"{s:.1f}" for s in [*phases, visible - acknowledged])
                print(f"| {sample + 1} | {cells} |", flush=True)
                wait_for(
                    lambda: (
                        not instance.get_run_records(
                            RunsFilter(job_name="hourly_refresh", statuses=UNFINISHED)
                        )
                    ),
                    900,
                    "the refreshes to finish",
                    poll=1,
                )
    finally:
        for process in processes:
            stop(process)


if __name__ == "__main__":
    main()
