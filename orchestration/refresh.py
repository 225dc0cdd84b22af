"""`audience refresh`: the whole pipeline with its quality gates, as a scheduler runs it. dbt
builds everything but the exports; the raw, staging and marts suites run; only when no blocking
expectation failed is the read-only copy for readers published (orchestration/publish) and are
the exports built, and then checked by the exports suite. A blocking
failure stops the run there, with exit code 1 and the failures printed. Before anything runs, the
segment definitions are checked (`audience check-segments`); an error stops the run with exit
code 2."""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from orchestration.dbt_build import PRODUCTION_EXCLUSIONS
from orchestration.paths import dbt_project_dir
from orchestration.publish import publish
from orchestration.publish.location import add_publish_dir_argument, publish_dir_setting
from orchestration.quality.command import add_warehouse_arguments, check_time, now_setting, report
from orchestration.quality.gates import EXPORTS_GATE, GATES, WAREHOUSE_GATE
from orchestration.quality.runner import run_suites
from orchestration.quality.suites import SuiteError, load_suites
from orchestration.raw_layout import LayoutError, event_layout
from orchestration.segments.command import segments_report
from orchestration.warehouse import warehouse_setting

GATE_SUITES = GATES[WAREHOUSE_GATE]
EXPORT_SUITES = GATES[EXPORTS_GATE]


def build(warehouse: Path, selection: list[str], env: Mapping[str, str] | None = None) -> bool:
    """dbt build in its own process, as a user runs it: dbt-duckdb keeps its connection open
    for the life of the process, and the checks need the file afterwards. It writes the file
    the gates then check (profiles.yml reads AUDIENCE_DUCKDB_PATH); `env` adds variables."""
    dbt = Path(sys.executable).with_name("dbt")
    args = [str(dbt), "build", "--quiet", *PRODUCTION_EXCLUSIONS, *selection]
    env = {**os.environ, **(env or {}), "AUDIENCE_DUCKDB_PATH": str(warehouse)}
    return subprocess.run(args, check=False, env=env).returncode == 0


def gate(warehouse: Path, suites: list[str], now: datetime.datetime | None) -> bool:
    run = run_suites(warehouse, load_suites(names=suites), now)
    print("\n".join(report(run)))
    return run.is_success


def refresh(
    warehouse: Path, now: datetime.datetime | None, publish_dir: Path, rebuild: bool = True
) -> int:
    if rebuild and not build(warehouse, ["--exclude", "tag:export"]):
        print("dbt build failed: nothing checked, exports not built")
        return 1
    if not gate(warehouse, GATE_SUITES, now):
        print("blocking expectations failed: exports not built, nothing published")
        return 1
    published = publish(warehouse, publish_dir)
    print(f"published read-only copy {published.version} for readers")
    if not build(warehouse, ["--select", "tag:export"]):
        print("dbt build of the exports failed")
        return 1
    if not gate(warehouse, EXPORT_SUITES, now):
        print("blocking expectations failed on the exports: they must not be synced")
        return 1
    print("refresh complete: exports built and checked")
    return 0


def run_refresh(args: argparse.Namespace) -> int:
    try:
        now = check_time(now_setting(args.now))
        event_layout()
    except (SuiteError, LayoutError) as error:
        print(f"error: {error}")
        return 2
    # check the segment definitions of the project dbt builds first
    lines, errors, warnings = segments_report(dbt_project_dir())
    if errors or warnings:
        print("\n".join(lines))
    if errors:
        print("segment definitions have errors: nothing built")
        return 2
    return refresh(
        warehouse_setting(args.warehouse).value,
        now,
        publish_dir_setting(args.publish_dir).value,
        rebuild=not args.no_build,
    )


def add_refresh_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "refresh",
        help="dbt build, quality gates, then the exports and their checks",
        description=(
            "Check the segment definitions, dbt build everything but the exports, run the raw, "
            "staging and marts suites, publish the read-only copy, then build the exports and "
            "run their suite. A blocking "
            "failure stops the run with exit code 1; a wrong setting or segment definition "
            "with exit code 2."
        ),
    )
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="skip the first dbt build: gate and export the warehouse as it is",
    )
    add_warehouse_arguments(parser)
    add_publish_dir_argument(parser)
    parser.set_defaults(handler=run_refresh)
