"""`audience collect`: a Segment-compatible event collector landing raw Parquet files."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from orchestration.collector.body import WriteKeys
from orchestration.collector.service import Collector, SpoolBusy, Storage
from orchestration.settings import Setting, resolve
from orchestration.warehouse import DEFAULT_RAW_PATH

log = logging.getLogger(__name__)
KEYS_VARIABLE = "AUDIENCE_COLLECT_WRITE_KEYS"


class CollectError(ValueError):
    """A setting the collector cannot start with; the message names what to fix."""


def write_keys(keys_file: Path | None) -> WriteKeys:
    """--write-keys-file (one key a line, # comments), else AUDIENCE_COLLECT_WRITE_KEYS."""
    if keys_file is not None:
        try:
            lines = keys_file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise CollectError(
                f"cannot read --write-keys-file {keys_file}: {error.strerror}"
            ) from None
        keys = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        origin = f"--write-keys-file {keys_file}"
    else:
        keys = [key.strip() for key in os.environ.get(KEYS_VARIABLE, "").split(",")]
        origin = f"environment variable {KEYS_VARIABLE}"
    try:
        return WriteKeys(keys)
    except ValueError:
        raise CollectError(
            f"no write key configured ({origin} has none): set {KEYS_VARIABLE} to a "
            "comma-separated list of write keys, or pass --write-keys-file with one key a line"
        ) from None


def storage(args: argparse.Namespace) -> Storage:
    raw: Setting[Path] = resolve(
        args.raw_path, "--raw-path", "AUDIENCE_RAW_PATH", Path, Path(DEFAULT_RAW_PATH)
    )
    spool = args.spool or raw.value.parent / "collector_spool"
    if spool.resolve().is_relative_to(raw.value.resolve()):
        raise CollectError(
            f"--spool {spool} is inside the raw folder {raw}: keep the write-ahead log out of it"
        )
    if args.flush_seconds <= 0 or args.flush_events <= 0:
        raise CollectError("--flush-seconds and --flush-events must be positive")
    log.info("landing raw files in %s, write-ahead log in %s", raw, spool)
    return Storage(raw.value, spool, args.flush_seconds, args.flush_events)


def run_collect(args: argparse.Namespace) -> int:
    import uvicorn

    from orchestration.collector.app import create_app

    try:
        keys = write_keys(args.write_keys_file)
        collector = Collector(storage(args))
    except CollectError as error:
        log.error("%s", error)
        return 2
    config = uvicorn.Config(
        create_app(collector, keys),
        host=args.host,
        port=args.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=30,
    )
    try:
        collector.recover()  # before listening: lands what a previous run left
    except SpoolBusy as error:
        log.error("%s", error)
        return 75
    server = uvicorn.Server(config)
    server.run()
    # startup failed (the spool held by another collector, the port taken): uvicorn logged why
    return 0 if server.started else 1


def add_collect_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "collect",
        help="receive events over Segment's HTTP Tracking API and land them as raw files",
        description=(
            "Serve Segment's HTTP Tracking API (/v1/batch, /v1/track, /v1/identify, /v1/page, "
            "/v1/screen, /v1/group, /v1/alias; segment-analytics-python and rudder-sdk-python "
            "send to it). Events are acknowledged once in a write-ahead log on disk, and "
            "landed as Parquet in the raw folders (tracks, pages, identifies, ...)."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8088, help="port (default 8088)")
    parser.add_argument(
        "--raw-path",
        type=Path,
        default=None,
        help=f"raw data folder (default: env AUDIENCE_RAW_PATH, else {DEFAULT_RAW_PATH})",
    )
    parser.add_argument(
        "--spool",
        type=Path,
        default=None,
        help="write-ahead log folder (default: collector_spool next to the raw folder)",
    )
    parser.add_argument(
        "--write-keys-file",
        type=Path,
        default=None,
        help=f"write keys, one a line (default: env {KEYS_VARIABLE}, comma-separated)",
    )
    parser.add_argument(
        "--flush-seconds", type=float, default=60.0, help="land Parquet at least this often"
    )
    parser.add_argument(
        "--flush-events", type=int, default=100_000, help="land Parquet after this many events"
    )
    parser.set_defaults(handler=run_collect)
