"""Benchmark: how long the Dagster UI takes to load the code location, and to stop on SIGTERM
when started as a background job (SIGINT ignored, as `make dev &` or nohup start it). The
current checkout's `make dev` command (dg dev over a prepared manifest) is measured with the
manifest current and after an edit of a model, against a baseline commit's `dagster dev`
(checked out in a git worktree), all over one copy of the demo's warehouse, in the same run.
Run by hand (never in CI), after `make demo`:

    .venv/bin/python bench/dagster_startup.py --out /some/scratch/dir --baseline <commit>

Prints Markdown rows for BENCHMARKS.md."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from dbt_env import dbt_env
from ports import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STOP_LIMIT = 120.0
LOCATION_STATUS = (
    "{ workspaceOrError { ... on Workspace { locationEntries { loadStatus "
    "locationOrLoadError { __typename } } } } }"
)


def location_loaded(url: str) -> bool:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": LOCATION_STATUS}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            entries = json.loads(response.read())["data"]["workspaceOrError"]["locationEntries"]
    except OSError:
        return False
    return bool(entries) and all(
        e["loadStatus"] == "LOADED"
        and e["locationOrLoadError"]["__typename"] == "RepositoryLocation"
        for e in entries
    )


def measure(command: list[str], project: Path, env: dict[str, str], log: Path) -> tuple[float, str]:
    """Seconds until the code location is loaded, and how SIGTERM stopped it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    try:
        while not location_loaded(url):
            if process.poll() is not None:
                raise SystemExit(f"{command} exited:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        loaded = time.perf_counter() - started
        os.kill(process.pid, signal.SIGTERM)
        asked = time.perf_counter()
        try:
            process.wait(timeout=STOP_LIMIT)
            stopped = f"{time.perf_counter() - asked:.1f} s"
        except subprocess.TimeoutExpired:
            stopped = f"not within {STOP_LIMIT:.0f} s (killed)"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return loaded, stopped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="scratch folder (emptied)")
    parser.add_argument("--baseline", required=True, help="commit to compare against")
    args = parser.parse_args()
    demo = ROOT / "data" / "demo"
    if not (demo / "audience.duckdb").exists():
        raise SystemExit("no demo warehouse: run `make demo` first")
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    baseline = args.out / "baseline"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(baseline), args.baseline], cwd=ROOT, check=True
    )
    warehouse = args.out / "audience.duckdb"
    shutil.copy(demo / "audience.duckdb", warehouse)
    home = args.out / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")

    def env(project: Path) -> dict[str, str]:
        return dbt_env(
            project,
            demo / "raw",
            warehouse,
            PYTHONPATH=str(project),
            DAGSTER_HOME=str(home),
            AUDIENCE_CHECK_NOW="2026-10-31T01:00:00",
        )

    current = [
        str(BIN / "python"), "-m", "orchestration.default_signals",
        str(BIN / "dg"), "dev", "-m", "orchestration.definitions",
    ]  # fmt: skip
    old = [str(BIN / "dagster"), "dev", "-m", "orchestration.definitions"]
    try:
        rows = [("baseline `dagster dev`, parses on every load", old, baseline)]
        subprocess.run(
            [str(BIN / "python"), "-c", "import orchestration.defs.project"],
            cwd=ROOT, env=env(ROOT), check=True,
        )  # fmt: skip
        rows.append(("current `make dev`, manifest current", current, ROOT))
        results = [(label, *measure(cmd, p, env(p), args.out / "x.log")) for label, cmd, p in rows]
        next((ROOT / "models").rglob("dim_persons.sql")).touch()
        results.append(
            ("current `make dev`, after an edit (parses once)",
             *measure(current, ROOT, env(ROOT), args.out / "edit.log"))
        )  # fmt: skip
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT)
    print("| start | code location loaded | SIGTERM, started as a background job |")
    print("| --- | ---: | --- |")
    for label, loaded, stopped in results:
        print(f"| {label} | {loaded:.1f} s | {stopped} |")


if __name__ == "__main__":
    main()
