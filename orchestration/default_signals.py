"""`python -m orchestration.default_signals COMMAND [ARG...]`: run the command with SIGINT and
SIGTERM at their defaults. A shell script's background job (`make dev &`, nohup) starts with
SIGINT ignored, and an ignored signal stays ignored across exec; Dagster's dev server maps
SIGTERM to whatever SIGINT does, so it then ignored both and never stopped."""

from __future__ import annotations

import os
import shutil
import signal
import sys


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit("usage: python -m orchestration.default_signals COMMAND [ARG...]")
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    os.execv(shutil.which(argv[0]) or argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
