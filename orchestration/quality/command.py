"""`audience check`: run the quality suites on the warehouse, print every failure, exit 1 when a
blocking expectation failed (and 2 when a suite file is wrong)."""

from __future__ import annotations

import argparse
import datetime
import os
from pathlib import Path

from orchestration.quality.runner import CheckRun, run_suites
from orchestration.quality.suites import SuiteError, load_suites
from orchestration.raw_layout import LayoutError, event_layout
from orchestration.warehouse import warehouse_path


def check_time(value: str | None) -> datetime.datetime | None:
    """The time freshness is measured at: --now, env AUDIENCE_CHECK_NOW, or the current time."""
    value = value or os.environ.get("AUDIENCE_CHECK_NOW")
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError as error:
        raise SuiteError(
            f"--now / AUDIENCE_CHECK_NOW: expected an ISO timestamp (UTC), got {value!r}"
        ) from error


def report(run: CheckRun) -> list[str]:
    passed = sum(r.is_success for r in run.results)
    lines = [
        f"{len(run.results)} expectations: {passed} passed, "
        f"{len(run.blocking_failures)} blocking failures, {len(run.warnings)} warnings "
        f"(run {run.run_id}, stored in quality.check_results)"
    ]
    lines += [result.describe() for result in run.blocking_failures + run.warnings]
    return lines


def run_check(args: argparse.Namespace) -> int:
    try:
        suites = load_suites(names=args.suite)
        now = check_time(args.now)
        event_layout()
    except (SuiteError, LayoutError) as error:
        print(f"error: {error}")
        return 2
    run = run_suites(args.warehouse or warehouse_path(), suites, now, args.data_docs)
    print("\n".join(report(run)))
    if args.data_docs:
        print(f"Data Docs: {args.data_docs / 'gx' / 'uncommitted' / 'data_docs' / 'local_site'}")
    if not run.is_success:
        print("blocking expectations failed: exports must not run")
        return 1
    return 0


def add_check_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check", help="run the Great Expectations suites under expectations/ on the warehouse"
    )
    parser.add_argument(
        "--suite", action="append", help="suite to run (repeatable; default: every suite)"
    )
    add_warehouse_arguments(parser)
    parser.add_argument(
        "--data-docs", type=Path, default=None, help="folder to build Data Docs HTML in"
    )
    parser.set_defaults(handler=run_check)


def add_warehouse_arguments(parser: argparse.ArgumentParser) -> None:
    """--warehouse and --now, shared by the commands that run suites."""
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="DuckDB file (default: env AUDIENCE_DUCKDB_PATH or data/audience.duckdb)",
    )
    parser.add_argument(
        "--now",
        default=None,
        help="time freshness is measured at (default: env AUDIENCE_CHECK_NOW, else now, UTC)",
    )
