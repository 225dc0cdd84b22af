"""Benchmark: what a month of history costs. One generated data set (the demo's size by default)
is refreshed once from raw data (`audience refresh`: the full build, gates, publish, exports: the
baseline, in the same run), then backfilled over every day of the period (`audience backfill`:
one build of the history selection per date, then a refresh), then reported on (`audience
report`). Run by hand (never in CI):

    .venv/bin/python bench/backfill.py --out /some/scratch/dir

Prints Markdown rows for BENCHMARKS.md: wall time and peak memory of each command's process
tree, the per-date times the backfill printed, and the report's size."""

from __future__ import annotations

import argparse
import datetime
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dbt_env import dbt_env  # noqa: E402
from bench.measure import measured  # noqa: E402
from orchestration.generator import generate  # noqa: E402

AUDIENCE = Path(sys.executable).with_name("audience")
DATE_TIME = re.compile(r"^as of \S+: evaluated \((\d+) s\)$", re.MULTILINE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="scratch directory")
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    data = args.out / "data"
    manifest = generate(data, users=args.users, days=args.days, seed=42)
    events = sum(manifest["tables"][t]["rows"] for t in ("tracks", "pages", "identifies"))
    start = datetime.date.fromisoformat(manifest["start_date"])
    # an hour after the generated period ends, as the Makefile's DATA_END: the data is fresh then
    now = datetime.datetime.combine(start + datetime.timedelta(days=args.days), datetime.time(1))
    env = dbt_env(
        ROOT,
        data / "raw",
        args.out / "audience.duckdb",
        AUDIENCE_PUBLISH_PATH=str(args.out / "published"),
        AUDIENCE_CHECK_NOW=now.isoformat(),
    )
    report = args.out / "report.html"
    runs = {
        "refresh from raw data (baseline)": measured([str(AUDIENCE), "refresh"], env, ROOT),
        f"backfill from {start}": measured(
            [str(AUDIENCE), "backfill", "--from", str(start)], env, ROOT
        ),
        "report": measured([str(AUDIENCE), "report", "--out", str(report)], env, ROOT),
    }
    per_date = [int(s) for s in DATE_TIME.findall(runs[f"backfill from {start}"].stdout)]
    print(f"{args.users:,} users, {args.days} days, {events:,} raw event rows")
    print("| command | wall (s) | peak RSS (MiB) |\n|---|---:|---:|")
    for name, run in runs.items():
        print(f"| {name} | {run.seconds:.1f} | {run.peak_mib:.0f} |")
    print(
        f"dates {len(per_date)}, per date median {statistics.median(per_date)} s, "
        f"min {min(per_date)} s, max {max(per_date)} s; report {report.stat().st_size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
