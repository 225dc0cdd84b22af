"""The `audience` command: one entry point for the project's Python tools."""

from __future__ import annotations

import argparse
import logging
import sys

from orchestration.backfill import add_backfill_parser
from orchestration.collector.command import add_collect_parser
from orchestration.generator import add_generate_parser
from orchestration.lookup.command import add_serve_parser
from orchestration.privacy_report import add_privacy_report_parser
from orchestration.publish.command import add_publish_parser
from orchestration.quality.command import add_check_parser
from orchestration.refresh import add_refresh_parser
from orchestration.report.command import add_report_parser
from orchestration.segments.command import add_check_segments_parser
from orchestration.segments.dependencies import add_segment_deps_parser
from orchestration.summary import add_summary_parser
from orchestration.sync.command import add_sync_parser
from orchestration.warehouse import BUSY_EXIT_CODE, WarehouseBusy


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="audience",
        description=(
            "Audience segmentation warehouse: generate, check, refresh, backfill, publish, "
            "summarise, sync, report on privacy, report on audiences, collect events, serve "
            "profiles."
        ),
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_generate_parser(subparsers)
    add_summary_parser(subparsers)
    add_check_parser(subparsers)
    add_check_segments_parser(subparsers)
    add_segment_deps_parser(subparsers)
    add_refresh_parser(subparsers)
    add_backfill_parser(subparsers)
    add_sync_parser(subparsers)
    add_privacy_report_parser(subparsers)
    add_publish_parser(subparsers)
    add_report_parser(subparsers)
    add_collect_parser(subparsers)
    add_serve_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # GX logs its context set-up at INFO (one module sets its own level); checks report themselves
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        return args.handler(args)
    except WarehouseBusy as busy:
        print(f"busy: {busy}", file=sys.stderr)
        return BUSY_EXIT_CODE


if __name__ == "__main__":
    sys.exit(main())
