"""`python -m orchestration.collector [options]`: `audience collect` without the cli wiring."""

from __future__ import annotations

import argparse
import logging
import sys

from orchestration.collector.command import add_collect_parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.collector")
    add_collect_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["collect", *(sys.argv[1:] if argv is None else argv)])
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
