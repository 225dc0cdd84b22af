"""`audience publish`: copy the built warehouse's reader-facing schemas to the published
read-only copy (a new version folder, then `current` swapped to it).

    audience publish [--warehouse data/demo/audience.duckdb] [--publish-dir data/demo/published]

Exits 1 when there is no warehouse, 75 when a build or another publish holds it (cli.py)."""

from __future__ import annotations

import argparse
import sys

from orchestration.publish.location import add_publish_dir_argument, publish_dir_setting
from orchestration.publish.publisher import publish
from orchestration.warehouse import add_warehouse_argument, warehouse_setting


def run_publish(args: argparse.Namespace) -> int:
    try:
        published = publish(
            warehouse_setting(args.warehouse), publish_dir_setting(args.publish_dir)
        )
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    manifest = published.manifest
    index = manifest["lookup_index"]
    print(f"published {published.version}: {len(manifest['tables'])} tables")
    print(
        "lookup index: "
        + (
            ", ".join(f"{name} {rows:,}" for name, rows in index["rows"].items())
            if index
            else "none (the warehouse has no serving schema)"
        )
    )
    if published.pruned:
        print(f"deleted {len(published.pruned)} older versions")
    return 0


def add_publish_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="publish a read-only copy of the warehouse for readers",
        description=(
            "Copy the analytics, segments, reference and serving schemas (views as tables) and "
            "the lookup API's index into a new version folder of the publish folder, then point "
            "its `current` link at it atomically; keeps the newest 3 versions."
        ),
    )
    add_warehouse_argument(parser)
    add_publish_dir_argument(parser)
    parser.set_defaults(handler=run_publish)
