"""`audience report`: the report of the current published copy, written to one HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.publish.location import add_publish_dir_argument, publish_dir_setting
from orchestration.report.page import write_report
from orchestration.report.sources import ReportSourceError
from orchestration.settings import Setting, resolve
from orchestration.warehouse import add_warehouse_argument, warehouse_setting

# next to the demo's warehouse and published copies
DEFAULT_REPORT_PATH = "data/demo/report.html"


def report_path_setting(given: Path | None = None) -> Setting[Path]:
    """The report file: --out, else AUDIENCE_REPORT_PATH, else the demo's."""
    return resolve(given, "--out", "AUDIENCE_REPORT_PATH", Path, Path(DEFAULT_REPORT_PATH))


def run_report(args: argparse.Namespace) -> int:
    target = report_path_setting(args.out)
    if target.value.is_dir():
        print(f"error: the report path {target} is a folder; name an .html file")
        return 2
    try:
        data = write_report(
            publish_dir_setting(args.publish_dir).value,
            warehouse_setting(args.warehouse).value,
            target.value,
        )
    except ReportSourceError as error:
        print(f"error: {error}")
        return 1
    except OSError as error:
        print(f"error: cannot write the report to {target}: {error.strerror}")
        return 1
    print(f"wrote {target.value} (published copy {data.version})")
    return 0


def add_report_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the audience report (one self-contained HTML file) of the published copy",
        description=(
            "Charts for marketers from the current published copy: segment sizes, entries and "
            "exits, overlap, the RFM grid, lifecycle flows, cohort retention, clusters and "
            "experiment lifts, with the quality gates' status and the last sync per "
            "destination from the warehouse's history. The file needs no network to open."
        ),
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"HTML file to write (default: env AUDIENCE_REPORT_PATH, else {DEFAULT_REPORT_PATH})",
    )
    add_publish_dir_argument(parser)
    add_warehouse_argument(parser)
    parser.set_defaults(handler=run_report)
