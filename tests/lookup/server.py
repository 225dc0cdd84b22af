"""The lookup API in a subprocess on a free port, its log captured to a file (also what
bench/lookup_latency.py serves from)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from orchestration.paths import PROJECT_DIR
from tests.support import free_port

ROOT = PROJECT_DIR


@contextlib.contextmanager
def running_server(
    publish_dir: Path,
    clients_file: Path,
    log_file: Path,
    env: dict[str, str] | None = None,
    port: int | None = None,
    startup_seconds: float = 15,
) -> Iterator[str]:
    """The base URL of `python -m orchestration.lookup` (on `port`, else a free one), up until
    the block ends; fails when it is not healthy within startup_seconds."""
    port = port or free_port()
    with open(log_file, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "orchestration.lookup",
                "--publish-dir",
                str(publish_dir),
                "--clients-file",
                str(clients_file),
                "--port",
                str(port),
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log_file.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(10)
