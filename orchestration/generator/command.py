"""The `generate` subcommand of the project CLI."""

from __future__ import annotations

import argparse
import datetime
import time
from pathlib import Path

from .layouts import LAYOUTS
from .run import DEFAULT_START_DATE, generate


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from error


def add_generate_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `generate` on an argparse subparsers object (handler in `handler`)."""
    parser = subparsers.add_parser(
        "generate",
        help="write synthetic raw data, ground truth and a manifest",
        description="Generate synthetic Segment and CRM raw tables as Parquet, with "
        "ground truth and a manifest. Same arguments give identical files.",
    )
    parser.add_argument("--users", type=int, required=True, help="number of online users")
    parser.add_argument("--days", type=int, required=True, help="length of the period in days")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument(
        "--start-date",
        type=_date,
        default=DEFAULT_START_DATE,
        help=f"first day of the period (default {DEFAULT_START_DATE})",
    )
    parser.add_argument(
        "--defect-rate",
        type=float,
        default=0.003,
        help="defective rows per row, per defect kind (default 0.003)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes generating chunks (default: CPUs, at most 4); does not change the output",
    )
    parser.add_argument(
        "--layout",
        choices=tuple(LAYOUTS),
        default="json_properties",
        help="shape of the event tables: the sources YAML (json_properties, default), a Segment "
        "or RudderStack warehouse destination, or Snowplow's atomic events table",
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(handler=run_generate)


def summary(manifest: dict, seconds: float) -> str:
    """Human summary: rows per table, defects per kind, time taken."""
    lines = [
        f"generated {manifest['users']:,} users x {manifest['days']} days "
        f"(seed {manifest['seed']}, layout {manifest['layout']}) in {seconds:.1f} s"
    ]
    for table, info in manifest["tables"].items():
        lines.append(f"  {table:<18} {info['rows']:>12,} rows  {info['files']:>4} files")
    if manifest["tracks_not_carried"]:
        lines.append(
            f"  tracks with malformed properties, not written in this layout: "
            f"{manifest['tracks_not_carried']:,}"
        )
    for table, kinds in manifest["defects"].items():
        found = ", ".join(f"{kind} {n:,}" for kind, n in kinds.items() if n)
        if found:
            lines.append(f"  defects {table}: {found}")
    return "\n".join(lines)


def run_generate(args: argparse.Namespace) -> int:
    """Handler of `generate`: run and print the summary."""
    started = time.perf_counter()
    try:
        manifest = generate(
            args.out,
            users=args.users,
            days=args.days,
            seed=args.seed,
            start_date=args.start_date,
            defect_rate=args.defect_rate,
            progress=not args.no_progress,
            workers=args.workers,
            layout=args.layout,
        )
    except ValueError as error:
        raise SystemExit(f"generate: {error}") from error
    print(summary(manifest, time.perf_counter() - started))
    return 0
