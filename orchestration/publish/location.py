"""Where published copies live and what a version folder holds; the publish step writes these
names and the lookup API reads them."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from orchestration.settings import Setting, resolve

# next to the demo's warehouse (orchestration/warehouse.py's DEFAULT_DUCKDB_PATH)
DEFAULT_PUBLISH_PATH = "data/demo/published"
CURRENT = "current"
DATABASE = "audience.duckdb"
INDEX = "lookup.sqlite"
MANIFEST = "manifest.json"


def publish_dir_setting(given: Path | None = None) -> Setting[Path]:
    """The folder of published versions: --publish-dir, else AUDIENCE_PUBLISH_PATH."""
    return resolve(
        given, "--publish-dir", "AUDIENCE_PUBLISH_PATH", Path, Path(DEFAULT_PUBLISH_PATH)
    )


def publish_path() -> Path:
    """The folder of published versions, from AUDIENCE_PUBLISH_PATH else the default."""
    return publish_dir_setting().value


def add_publish_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--publish-dir",
        type=Path,
        default=None,
        help=(
            "folder of published read-only copies (default: env AUDIENCE_PUBLISH_PATH, else "
            f"{DEFAULT_PUBLISH_PATH})"
        ),
    )


def current_version(publish_dir: Path) -> Path | None:
    """The version folder `current` points to now, or None before the first publish. Readers
    open files under this path, not under `current`, so a swap never mixes two versions."""
    try:
        target = os.readlink(publish_dir / CURRENT)
    except FileNotFoundError:
        return None
    return publish_dir / target
