"""`audience check`: run the quality suites on the warehouse, print every failure, exit 1 when a
blocking expectation failed (and 2 when a suite file or an argument is wrong)."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from orchestration.names import UnknownName, choose
from orchestration.quality.runner import CheckRun, run_suites
from orchestration.quality.suites import SuiteError, load_suites
from orchestration.raw_layout import LayoutError, event_layout
from orchestration.settings import Setting, as_setting, resolve
from orchestration.warehouse import add_warehouse_argument, existing_warehouse, warehouse_setting


def now_setting(given: str | None) -> Setting[str] | None:
    """--now, else env AUDIENCE_CHECK_NOW; None for the current time."""
    return resolve(given, "--now", "AUDIENCE_CHECK_NOW", str)


def check_time(now: Setting[str] | str | None) -> datetime.datetime | None:
    """The time freshness is measured at: `now` (a bare string is a caller's own setting; empty,
    env AUDIENCE_CHECK_NOW), or the current time."""
    setting = as_setting(now) if now else now_setting(None)
    if setting is None or not setting.value:
        return None
    try:
        return datetime.datetime.fromisoformat(setting.value).replace(tzinfo=None)
    except ValueError as error:
        raise SuiteError(
            f"{setting.origin or 'check time'}: expected an ISO timestamp (UTC), "
            f"got {setting.value!r}"
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
        suites = load_suites()
        chosen = {choose(name, [s.name for s in suites], "--suite", "suite") for name in args.suite}
        now = check_time(now_setting(args.now))
        event_layout()
        warehouse = existing_warehouse(warehouse_setting(args.warehouse))
    except (SuiteError, LayoutError, UnknownName) as error:
        print(f"error: {error}")
        return 2
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    suites = [suite for suite in suites if not chosen or suite.name in chosen]
    run = run_suites(warehouse, suites, now, args.data_docs)
    print("\n".join(report(run)))
    if args.data_docs:
        print(f"Data Docs: {args.data_docs / 'gx' / 'uncommitted' / 'data_docs' / 'local_site'}")
    if not run.is_success:
        print("blocking expectations failed: exports must not run")
        return 1
    return 0


def add_check_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="run the Great Expectations suites under expectations/ on the warehouse",
        description=(
            "Run the quality suites on the warehouse, print every failure, exit 1 when a "
            "blocking expectation failed and 2 when a suite file or an argument is wrong."
        ),
    )
    parser.add_argument(
        "--suite",
        action="append",
        default=[],
        help="suite to run (repeatable; default: every suite)",
    )
    add_warehouse_arguments(parser)
    parser.add_argument(
        "--data-docs", type=Path, default=None, help="folder to build Data Docs HTML in"
    )
    parser.set_defaults(handler=run_check)


def add_warehouse_arguments(parser: argparse.ArgumentParser) -> None:
    """--warehouse and --now, shared by the commands that run suites."""
    add_warehouse_argument(parser)
    parser.add_argument(
        "--now",
        default=None,
        help="time freshness is measured at (default: env AUDIENCE_CHECK_NOW, else now, UTC)",
    )
