"""`python -m orchestration.lookup [options]`: `audience serve` on its own, for tests and the
benchmark, with the same logging set-up as the `audience` command."""

from __future__ import annotations

import argparse
import logging
import sys

from orchestration.lookup.command import add_serve_parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.lookup")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    add_serve_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["serve", *(argv if argv is not None else sys.argv[1:])])
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
