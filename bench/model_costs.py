"""Benchmark: what a change costs or saves in some models, against a baseline commit. One
generated data set is built twice in the same run, by the current checkout and by a baseline
commit (a git worktree), each into its own warehouse. Run by hand (never in CI):

    .venv/bin/python bench/model_costs.py --out /some/scratch/dir --baseline <commit> \
        [--select '+staging +int_events_unioned'] [--models base_segment__tracks ...] [--data DIR]

Prints Markdown rows for BENCHMARKS.md: per checkout, the wall time of `dbt build --select
<select>` (seeds and models, no tests), the peak resident memory of its process tree and the
model time of each of --models, read from dbt's run_results.json. The default selection is
staging up to where events enter sessions, with the event and contact staging models (what the
value checks of staging cost). AUDIENCE_MEMORY_LIMIT and AUDIENCE_THREADS set DuckDB's memory
and dbt's threads (the dev target's 4GB and 2)."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dbt_env import dbt_env  # noqa: E402
from bench.measure import Measured, measured  # noqa: E402
from orchestration.generator import generate  # noqa: E402

DBT = Path(sys.executable).with_name("dbt")
SELECT = "+staging +int_events_unioned"
MODELS = (
    "base_segment__tracks",
    "base_segment__pages",
    "base_segment__identifies",
    "int_events_unioned",
    "base_crm__contacts",
)


def build(project: Path, raw: Path, folder: Path, select: str) -> tuple[Measured, dict[str, float]]:
    """Wall seconds and peak memory of a first build of the selection, and each model's seconds."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dbt_env(project, raw, folder / "audience.duckdb")
    target = folder / "target"
    run = measured(
        [str(DBT), "build", "-s", select, "--exclude-resource-type",
         "test", "--exclude-resource-type", "unit_test", "--target-path", str(target)],
        env, project,
    )  # fmt: skip
    timings = {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in json.loads((target / "run_results.json").read_text())["results"]
    }
    return run, timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="scratch directory")
    parser.add_argument("--baseline", required=True, help="commit to compare with")
    parser.add_argument("--users", type=int, default=50000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--select", default=SELECT, help="dbt selection to build")
    parser.add_argument("--models", nargs="+", default=MODELS, help="models whose times to print")
    parser.add_argument(
        "--data", type=Path, help="a data set audience generate wrote (else one is generated)"
    )
    args = parser.parse_args()
    data = args.data or args.out / "data"
    if args.data:
        manifest = json.loads((data / "manifest.json").read_text())
    else:
        manifest = generate(data, users=args.users, days=args.days, seed=42)
    events = sum(manifest["tables"][t]["rows"] for t in ("tracks", "pages", "identifies"))
    baseline = args.out / "baseline"
    if baseline.exists():
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=False
        )
        shutil.rmtree(baseline, ignore_errors=True)
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(baseline), args.baseline], cwd=ROOT, check=True
    )
    try:
        runs = {
            f"baseline {args.baseline[:7]}": build(
                baseline, data / "raw", args.out / "run_base", args.select
            ),
            "this checkout": build(ROOT, data / "raw", args.out / "run_head", args.select),
        }
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=False
        )
    print(f"{manifest['users']:,} users, {manifest['days']} days, {events:,} raw event rows")
    print("| checkout | dbt build (s) | peak MiB | " + " | ".join(args.models) + " |")
    print("|---|---:|---:|" + "---:|" * len(args.models))
    for name, (run, timings) in runs.items():
        cells = " | ".join(f"{timings.get(m, float('nan')):.1f}" for m in args.models)
        print(f"| {name} | {run.seconds:.1f} | {run.peak_mib:,.0f} | {cells} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
