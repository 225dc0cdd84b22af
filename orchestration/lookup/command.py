"""`audience serve`: the lookup API on uvicorn, reading the published copy's `current` version.

    audience serve --clients-file clients.yml [--publish-dir data/demo/published]
                   [--host 127.0.0.1] [--port 8089]

Needs AUDIENCE_PII_SALT (the salt dbt built the warehouse with) and a clients file (--clients-file
or AUDIENCE_API_CLIENTS_FILE); exits 2 with the reason when either is missing or invalid, or
when nothing has been published yet."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import uvicorn

from orchestration.lookup.app import build_app
from orchestration.lookup.clients import (
    CLIENTS_VARIABLE,
    Authenticator,
    ClientsFileError,
    clients_file_setting,
    load_clients,
)
from orchestration.lookup.hashing import SaltError, pii_salt
from orchestration.lookup.store import PublishedCopyError, PublishedStore
from orchestration.publish.location import add_publish_dir_argument, publish_dir_setting

log = logging.getLogger(__name__)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8089
CONFIG_EXIT_CODE = 2


def run_serve(args: argparse.Namespace) -> int:
    try:
        salt = pii_salt()
        clients_file = clients_file_setting(args.clients_file)
        if clients_file is None:
            raise ClientsFileError(
                f"no clients file: pass --clients-file or set {CLIENTS_VARIABLE} "
                "(see orchestration/lookup/clients.py for its format)"
            )
        authenticator = Authenticator(tuple(load_clients(clients_file)))
        store = PublishedStore(publish_dir_setting(args.publish_dir).value)
    except (SaltError, ClientsFileError, PublishedCopyError) as error:
        print(f"audience serve: {error}", file=sys.stderr)
        return CONFIG_EXIT_CODE
    names = ", ".join(client.name for client in authenticator.clients)
    log.info("lookup API on http://%s:%d for clients %s", args.host, args.port, names)
    try:
        uvicorn.run(
            build_app(store, authenticator, salt),
            host=args.host,
            port=args.port,
            # uvicorn's access log prints request paths, which hold identifiers and emails
            access_log=False,
            log_config=None,
            server_header=False,
        )
    finally:
        store.close()
    return 0


def add_serve_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve profiles and segment memberships by identifier over HTTP",
        description=(
            "Serve the lookup API (profiles by user_id, anonymous_id, email or email_hash; "
            "segment memberships) from the published copy, behind per-client bearer tokens. "
            "Follows new published versions without a restart."
        ),
    )
    add_publish_dir_argument(parser)
    parser.add_argument(
        "--clients-file",
        type=Path,
        default=None,
        help=f"YAML file of API clients and their token hashes (default: env {CLIENTS_VARIABLE})",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"default {DEFAULT_HOST}")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.set_defaults(handler=run_serve)
