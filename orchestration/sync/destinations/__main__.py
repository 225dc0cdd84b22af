"""`python -m orchestration.sync.destinations [--check] [--project-dir DIR]`: write what dbt
knows of the destinations (seeds/destinations.csv, models/activation/exports/) from their
modules; with --check, write nothing and exit 1 naming every file missing or out of date."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.paths import PROJECT_DIR
from orchestration.sync.destinations import DESTINATIONS
from orchestration.sync.destinations._dbt_files import COMMAND, stale_files, write_files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--project-dir", type=Path, default=PROJECT_DIR)
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_files(DESTINATIONS, args.project_dir)
        for problem in problems:
            print(f"{problem}: run `{COMMAND}`", file=sys.stderr)
        return 1 if problems else 0
    for path in write_files(DESTINATIONS, args.project_dir):
        print(f"wrote {path}" if (args.project_dir / path).exists() else f"deleted {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
