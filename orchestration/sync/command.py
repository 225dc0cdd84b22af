"""`audience sync`: send segments' audiences to their destinations.

    audience sync --segment churn_risk --destination meta_ads [--dry-run]
    audience sync --all [--destination klaviyo] [--dry-run]

Refuses when the latest exports quality check failed. Prints a progress bar per run and a
summary table. A pair that fails does not stop the others: every pair runs, then the command
exits 2 if a pair failed on its configuration, else 1 if any failed; 75 when another process
holds the warehouse."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
from tqdm import tqdm

from orchestration.sync.config import MODES, SyncConfigError, load_config
from orchestration.sync.destinations import build_destination
from orchestration.sync.engine import COUNTS_TABLE, SyncRefused, exports_check_passed, run_sync
from orchestration.sync.errors import SyncStateError
from orchestration.sync.state import RunRecord, ensure_tables
from orchestration.warehouse import connect

COLUMNS = [
    ("segment", "segment_name"),
    ("destination", "destination"),
    ("mode", "mode"),
    ("status", "status"),
    ("added", "added"),
    ("removed", "removed"),
    ("changed", "changed"),
    ("unchanged", "unchanged"),
    ("rejected", "rejected"),
    ("invalid", "invalid"),
    ("no consent", "skipped_consent"),
    ("holdout", "skipped_holdout"),
    ("erased", "erased"),
    ("batches", "batches"),
    ("seconds", "duration_seconds"),
]


def sync_pairs(
    con: duckdb.DuckDBPyConnection, segment: str | None, destination: str | None
) -> list:
    """(segment, destination) routes the warehouse has, and those with sync state left (a
    segment no longer routed is emptied at its destination)."""
    ensure_tables(con)
    rows = con.execute(
        f"select segment_name, destination from {COUNTS_TABLE} "
        "union select distinct segment_name, destination from sync.sync_state "
        "order by segment_name, destination"
    ).fetchall()
    return [
        (s, d)
        for s, d in rows
        if (segment is None or s == segment) and (destination is None or d == destination)
    ]


def summary(runs: list[RunRecord]) -> str:
    table = [[name for name, _ in COLUMNS]]
    for run in runs:
        values = [getattr(run, attr) for _, attr in COLUMNS]
        table.append([f"{v:.1f}" if isinstance(v, float) else str(v) for v in values])
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in table]
    errors = [f"{r.segment_name} -> {r.destination}: {r.error}" for r in runs if r.error]
    return "\n".join(lines + errors)


def run_sync_command(args: argparse.Namespace) -> int:
    try:
        configs = load_config(args.config)
    except SyncConfigError as error:
        print(f"error: {error}")
        return 2
    if not args.all and not args.segment:
        print("error: name a --segment (with or without --destination), or pass --all")
        return 2
    runs: list[RunRecord] = []
    failed_config = False
    with connect(args.warehouse) as con:
        try:
            exports_check_passed(con)
        except SyncRefused as error:
            if not args.dry_run:
                print(f"refused: {error}")
                return 1
            print(f"warning: {error} (dry run: nothing is sent)")
        try:
            pairs = sync_pairs(con, args.segment, args.destination)
        except SyncStateError as error:
            print(f"error: {error}")
            return 1
        if not pairs:
            print("nothing to sync: no exportable segment routes to the destination(s) named")
            return 0
        for segment_name, destination_name in pairs:
            if destination_name not in configs:
                print(
                    f"skipped {segment_name} -> {destination_name}: not in the sync configuration"
                )
                continue
            try:
                destination = build_destination(configs[destination_name])
            except SyncConfigError as error:
                print(f"error: {error}")
                failed_config = True
                continue
            with tqdm(
                desc=f"{segment_name} -> {destination_name}",
                unit="member",
                disable=args.no_progress or not sys.stderr.isatty(),
            ) as bar:
                runs.append(
                    run_sync(
                        con,
                        destination,
                        segment_name,
                        dry_run=args.dry_run,
                        mode=args.mode,
                        progress=bar,
                    )
                )
    print(summary(runs))
    if failed_config or any(run.error_kind == "configuration" for run in runs):
        return 2
    return 1 if any(run.status == "failed" for run in runs) else 0


def add_sync_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sync", help="send segment audiences to their destinations (diff-based, consent-aware)"
    )
    parser.add_argument("--segment", help="the segment to sync (all its destinations by default)")
    parser.add_argument("--destination", help="only this destination")
    parser.add_argument("--all", action="store_true", help="every segment and destination")
    parser.add_argument("--dry-run", action="store_true", help="report the diff; send nothing")
    parser.add_argument("--mode", choices=MODES, help="override the destination's configured mode")
    parser.add_argument(
        "--config",
        type=Path,
        help="sync configuration (default: AUDIENCE_SYNC_CONFIG, else destinations.yml)",
    )
    parser.add_argument(
        "--warehouse", type=Path, help="DuckDB file (default: AUDIENCE_DUCKDB_PATH)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(handler=run_sync_command)
