"""Benchmark: the demo data set (5,000 users, 30 days, seed 42) in every event layout, and the
time `dbt build` takes on each. Run by hand (never in CI):

    .venv/bin/python bench/layout_builds.py --out /some/scratch/dir

Prints one Markdown row per layout for BENCHMARKS.md: raw tables written, raw event rows, the
generator's seconds and the build's seconds and result. Unit tests are left out of every build
(they take their inputs' columns from the raw tables, which differ by layout), so the builds
run the same models and data tests."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dbt_env import dbt_env  # noqa: E402
from orchestration.generator import generate  # noqa: E402
from orchestration.generator.layouts import LAYOUTS  # noqa: E402

DBT = Path(sys.executable).with_name("dbt")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="scratch directory")
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    print("| layout | raw tables | event rows | generate (s) | dbt build (s) | result |")
    print("|---|---:|---:|---:|---:|---|")
    for layout in LAYOUTS:
        folder = args.out / layout
        started = time.perf_counter()
        manifest = generate(folder, users=args.users, days=args.days, seed=42, layout=layout)
        generated = time.perf_counter() - started
        crm = {"contacts", "orders", "order_items", "products", "consents", "survey_responses",
               "deletion_requests"}  # fmt: skip
        events = sum(t["rows"] for n, t in manifest["tables"].items() if n not in crm)
        env = dbt_env(
            ROOT, folder / "raw", folder / "audience.duckdb", AUDIENCE_EVENT_LAYOUT=layout
        )
        started = time.perf_counter()
        result = subprocess.run(
            [str(DBT), "build", "--exclude-resource-type", "unit_test"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        built = time.perf_counter() - started
        done = [line for line in result.stdout.splitlines() if "Done." in line]
        outcome = done[-1].split("Done.")[1].strip() if done else f"exit {result.returncode}"
        print(
            f"| {layout} | {len(manifest['tables'])} | {events:,} | {generated:.1f} | "
            f"{built:.1f} | {outcome} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
