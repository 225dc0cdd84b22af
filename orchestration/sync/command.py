"""`audience sync`: send segments' audiences to their destinations.

    audience sync --segment churn_risk --destination meta_ads [--dry-run]
    audience sync --all [--destination klaviyo] [--dry-run]

Refuses when the latest exports quality check failed. Prints a progress bar per run and a
summary table. A pair that fails does not stop the others: every pair runs, then the command
exits 2 if a pair failed on its configuration, else 1 if any failed; 75 when another process
holds the warehouse. An unknown segment or destination name exits 2 before anything runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tabulate import tabulate
from tqdm import tqdm

from orchestration.names import UnknownName, choose
from orchestration.paths import dbt_project_dir
from orchestration.relations import relation
from orchestration.segments.definitions import load_segments
from orchestration.sync.config import MODES, SyncConfigError, config_setting, load_config
from orchestration.sync.destinations import DESTINATIONS, build_destination
from orchestration.sync.engine import SyncRefused, exports_check_passed, run_sync
from orchestration.sync.errors import SyncStateError
from orchestration.sync.state import RunRecord, ensure_tables
from orchestration.warehouse import (
    Warehouse,
    add_warehouse_argument,
    connect,
    existing_warehouse,
    warehouse_setting,
)

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


def sync_routes(con: Warehouse) -> list[tuple[str, str]]:
    """(segment, destination) routes the warehouse has, and those with sync state left (a
    segment no longer routed is emptied at its destination)."""
    ensure_tables(con)
    return con.execute(
        f"select segment_name, destination from {relation('int_segment_destinations_counted')} "
        "union select distinct segment_name, destination from sync.sync_state "
        "order by segment_name, destination"
    ).fetchall()


def chosen_names(
    args: argparse.Namespace, routes: list[tuple[str, str]]
) -> tuple[str | None, str | None]:
    """--segment (or its model name, segment_<name>) and --destination, checked: a segment the
    project dbt builds defines (paths.dbt_project_dir) or the routes name, a destination
    the sync can send to or the routes name. UnknownName otherwise."""
    segment = destination = None
    if args.segment:
        defined, _ = load_segments(dbt_project_dir())
        segments = {s.name for s in defined} | {s for s, _ in routes}
        segment = choose(args.segment, segments, "--segment", "segment", prefix="segment_")
    if args.destination:
        destinations = set(DESTINATIONS) | {d for _, d in routes}
        destination = choose(args.destination, destinations, "--destination", "destination")
    return segment, destination


def summary(runs: list[RunRecord]) -> str:
    """One row per run (counts right-aligned, seconds to a tenth), then each run's error."""
    rows = [[getattr(run, attr) for _, attr in COLUMNS] for run in runs]
    headers = [name for name, _ in COLUMNS]
    # names stay text: a segment named like a number is not reformatted (tabulate takes column
    # indices only when there are rows)
    names_as_text = [0, 1, 2, 3] if rows else True
    table = tabulate(rows, headers, "plain", floatfmt=".1f", disable_numparse=names_as_text)
    errors = [f"{r.segment_name} -> {r.destination}: {r.error}" for r in runs if r.error]
    return "\n".join([table, *errors])


def run_sync_command(args: argparse.Namespace) -> int:
    try:
        configs = load_config(config_setting(args.config))
    except SyncConfigError as error:
        print(f"error: {error}")
        return 2
    if not args.all and not args.segment:
        print("error: name a --segment (with or without --destination), or pass --all")
        return 2
    try:
        warehouse = existing_warehouse(warehouse_setting(args.warehouse))
    except FileNotFoundError as error:
        print(f"error: {error}")
        return 1
    runs: list[RunRecord] = []
    failed_config = False
    with connect(warehouse) as con:
        try:
            routes = sync_routes(con)
        except SyncStateError as error:
            print(f"error: {error}")
            return 1
        try:
            segment_named, destination_named = chosen_names(args, routes)
        except UnknownName as error:
            print(f"error: {error}")
            return 2
        try:
            exports_check_passed(con)
        except SyncRefused as error:
            if not args.dry_run:
                print(f"refused: {error}")
                return 1
            print(f"warning: {error} (dry run: nothing is sent)")
        pairs = [
            (s, d)
            for s, d in routes
            if segment_named in (None, s) and destination_named in (None, d)
        ]
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
        "sync",
        help="send segment audiences to their destinations (diff-based, consent-aware)",
        description=(
            "Send segments' audiences to their destinations: only the members that changed since "
            "the last sync, and only those with consent. Refuses when the latest exports check "
            "failed. Exits 2 on a configuration error or an unknown segment or destination "
            "name, 1 when a run failed."
        ),
    )
    parser.add_argument(
        "--segment",
        help="the segment to sync, by name or model name (segment_<name>; all its destinations "
        "by default)",
    )
    parser.add_argument("--destination", help="only this destination (a row of destinations.csv)")
    parser.add_argument("--all", action="store_true", help="every segment and destination")
    parser.add_argument("--dry-run", action="store_true", help="report the diff; send nothing")
    parser.add_argument("--mode", choices=MODES, help="override the destination's configured mode")
    parser.add_argument(
        "--config",
        type=Path,
        help="sync configuration (default: AUDIENCE_SYNC_CONFIG, else destinations.yml)",
    )
    add_warehouse_argument(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(handler=run_sync_command)
