"""Writes the scaling benchmark's results (<work>/results.json, from bench/scaling.py) into
BENCHMARKS.md, between its scaling markers, and draws bench/scaling.png.

    .venv/bin/python bench/report.py --work <scratch dir>
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- scaling:start -->", "<!-- scaling:end -->"
CHART = ROOT / "bench" / "scaling.png"
LINES = {
    "full_build": "full dbt build",
    "incremental_day": "incremental: one new day",
    "incremental_hour": "incremental: one new hour",
    "quality_check": "audience check",
    "sync_dry_run": "sync dry run (largest audience)",
    "pandas_baseline": "pandas RFM + lifecycle",
    "lower_bound": "lower bound (one DuckDB pass)",
    "dbt_startup": "dbt start-up (empty selection)",
}


def seconds(size: dict, name: str) -> float | None:
    entry = size["steps"].get(name)
    return entry["seconds"] if entry else None


def build_work(size: dict) -> float:
    """The full build without dbt's fixed start-up."""
    return seconds(size, "full_build") - seconds(size, "dbt_startup")


def fmt(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def completed(results: dict) -> list[dict]:
    """The sizes whose full build completed, fewest events first."""
    sizes = sorted(results["sizes"].values(), key=lambda s: s["events"])
    return [
        s
        for s in sizes
        if "seconds" in s["steps"].get("full_build", {})
        and "errors" not in s["steps"]["full_build"]
    ]


def incomplete(results: dict) -> list[str]:
    """A line for each size whose full build did not complete, and for each failed step."""
    lines = []
    for s in sorted(results["sizes"].values(), key=lambda s: s["events"]):
        if "full_build" not in s["steps"]:
            lines.append(f"- {s['events']:,} events: stopped before the full build completed")
        for name, step in s["steps"].items():
            for node, message in step.get("errors", {}).items():
                lines.append(
                    f"- {s['events']:,} events, {name}: failed after {fmt(step['seconds'])} s "
                    f"({step['peak_mib']:,} MiB) in {node.split('.')[-1]}: {message}"
                )
    return lines


def tables(results: dict) -> str:
    sizes = completed(results)
    build = [
        "| events | lower bound (s) | full build (s) | dbt start-up (s) | build - start-up "
        "(s) | x lower bound | events/s | µs per event | build peak MiB | warehouse MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        work = build_work(s)
        build.append(
            f"| {s['events']:,} | {fmt(seconds(s, 'lower_bound'), 2)} | "
            f"{fmt(seconds(s, 'full_build'))} | {fmt(seconds(s, 'dbt_startup'))} | {fmt(work)} | "
            f"{fmt(work / seconds(s, 'lower_bound'), 0)} | {s['events'] / work:,.0f} | "
            f"{1e6 * work / s['events']:,.1f} | {s['steps']['full_build']['peak_mib']:,} | "
            f"{s['warehouse_mib']:,} |"
        )
    steps = [
        "| events | new day: events, s (share of full) | new hour: events, s (share) | "
        "check s (peak MiB) | sync dry run: members, s (peak MiB) | pandas s (peak MiB) | "
        "dbt models to RFM + lifecycle, summed s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        cells = [f"{s['events']:,}"]
        for part in ("incremental_day", "incremental_hour"):
            step = s["steps"].get(part)
            if not step:
                cells.append("not run")
                continue
            share = step["seconds"] / seconds(s, "full_build")
            cells.append(f"{step['new_events']:,}, {fmt(step['seconds'])} ({share:.0%})")
        check, sync = s["steps"]["quality_check"], s["steps"]["sync_dry_run"]
        cells.append(f"{fmt(check['seconds'])} ({check['peak_mib']:,})")
        cells.append(f"{sync['members']:,}, {fmt(sync['seconds'])} ({sync['peak_mib']:,})")
        pandas = s["steps"].get("pandas_baseline")
        cells.append(f"{fmt(pandas['seconds'])} ({pandas['peak_mib']:,})" if pandas else "not run")
        cells.append(fmt(s["scored_path_seconds"]))
        steps.append("| " + " | ".join(cells) + " |")
    failures = [
        f"- {s['events']:,} events, {name}: "
        + ", ".join(test.split(".")[2] for test in step["failed_tests"])
        for s in sizes
        for name, step in s["steps"].items()
        if step.get("failed_tests")
    ]
    if failures:
        steps += ["", "Data tests that failed (the build completed):", "", *failures]
    if incomplete(results):
        steps += ["", "Did not complete:", "", *incomplete(results)]
    largest = sizes[-1]
    slowest = [
        f"Slowest models of the full build at {largest['events']:,} events (seconds):",
        "",
        "| model | s | share of build - start-up |",
        "| --- | ---: | ---: |",
    ]
    for model, secs in list(largest["slowest_models"].items())[:5]:
        slowest.append(f"| {model} | {secs:,.0f} | {secs / build_work(largest):.0%} |")
    return "\n".join([*build, "", *steps, "", *slowest])


def chart(results: dict) -> None:
    sizes = completed(results)
    events = [s["events"] for s in sizes]
    figure, (times, ratios) = plt.subplots(1, 2, figsize=(13, 5.5))
    for name, label in LINES.items():
        points = [(e, seconds(s, name)) for e, s in zip(events, sizes, strict=True)]
        points = [(e, t) for e, t in points if t is not None]
        if points:
            times.plot(*zip(*points, strict=True), marker="o", label=label)
    times.set(xscale="log", yscale="log", xlabel="events", ylabel="seconds", title="Time per step")
    times.grid(True, which="both", alpha=0.3)
    times.legend(fontsize=8)
    for name, label in (("full_build", "full build - start-up"), ("pandas_baseline", "pandas")):
        points = []
        for e, s in zip(events, sizes, strict=True):
            t = build_work(s) if name == "full_build" else seconds(s, name)
            if t is not None:
                points.append((e, t / seconds(s, "lower_bound")))
        ratios.plot(*zip(*points, strict=True), marker="o", label=label)
    ratios.axhline(20, color="red", linestyle="--", label="target: 20x lower bound")
    ratios.set(xscale="log", yscale="log", xlabel="events", ylabel="x lower bound")
    ratios.set_title("Ratio to the lower bound")
    ratios.grid(True, which="both", alpha=0.3)
    ratios.legend(fontsize=8)
    machine = results["machine"]
    figure.suptitle(
        f"{machine['cores']} cores, {machine['memory_gib']} GiB, DuckDB memory limit "
        f"{machine['duckdb_memory_limit']}, {machine['date']}"
    )
    figure.tight_layout()
    figure.savefig(CHART, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    results = json.loads((args.work / "results.json").read_text())
    chart(results)
    machine = results["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in machine["versions"].items())
    section = "\n".join(
        [
            START,
            f"Measured {machine['date']} on {machine['cores']} cores, {machine['memory_gib']} GiB, "
            f"{machine['system']}; Python {machine['python']}, {versions}; dbt and DuckDB with "
            f"{machine['threads']} threads, DuckDB memory_limit {machine['duckdb_memory_limit']}.",
            "",
            tables(results),
            "",
            f"![time per step and ratio to the lower bound](bench/{CHART.name})",
            END,
        ]
    )
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text()
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    path.write_text(before + section + after)


if __name__ == "__main__":
    main()
