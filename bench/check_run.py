"""Benchmark: the quality check run against the dbt build it guards, on generated data of a
given size. Run by hand (never in CI):

    .venv/bin/python bench/check_run.py --users 300000 --days 30 --out /some/scratch/dir

Generates the data (skipped when --out already holds it), runs `dbt build` and `audience check`
on it, and prints one Markdown row for BENCHMARKS.md: events, build seconds, check seconds and
the check's peak memory (resident set of its process)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


# the check in a process of its own that reports its own peak resident memory
CHECK = (
    "import resource, sys\n"
    "from orchestration.cli import main\n"
    "code = main(['check'])\n"
    "print('peak_kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall seconds and the standard output of the command."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode not in (0, 1):  # 1: blocking failures, still a complete run
        sys.exit(result.stdout + result.stderr)
    return time.perf_counter() - started, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    manifest_path = args.out / "manifest.json"
    if not manifest_path.exists():
        generate = [str(BIN / "audience"), "generate", "--users", str(args.users)]
        generate += ["--days", str(args.days), "--out", str(args.out), "--no-progress"]
        subprocess.run(generate, cwd=ROOT, check=True)
    manifest = json.loads(manifest_path.read_text())
    events = sum(manifest["tables"][t]["rows"] for t in ("tracks", "pages", "identifies"))
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT),
        "AUDIENCE_TARGET": "ci",
        "AUDIENCE_RAW_PATH": str(args.out / "raw"),
        "AUDIENCE_DUCKDB_PATH": str(args.out / "audience.duckdb"),
        "AUDIENCE_CHECK_NOW": "2026-10-31T01:00:00",
        # the Makefile's salt for generated data, unless one is set
        "AUDIENCE_PII_SALT": os.environ.get("AUDIENCE_PII_SALT", "generated-data-only-salt"),
    }
    target = ["--target-path", str(args.out / "target")]
    build_seconds, _ = timed([str(BIN / "dbt"), "build", "--quiet", *target], env)
    check_seconds, output = timed([sys.executable, "-c", CHECK], env)
    print(output)
    check_peak = int(output.split("peak_kib")[-1]) / 1024
    print("| events | dbt build (s) | audience check (s) | check peak memory (MiB) |")
    print("| ---: | ---: | ---: | ---: |")
    print(f"| {events:,} | {build_seconds:.0f} | {check_seconds:.1f} | {check_peak:.0f} |")


if __name__ == "__main__":
    main()
