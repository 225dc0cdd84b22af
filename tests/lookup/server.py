"""The lookup API in a subprocess on a free port, its log captured to a file."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def running_server(
    publish_dir: Path, clients_file: Path, log_file: Path, env: dict[str, str] | None = None
) -> Iterator[str]:
    """The base URL of `python -m orchestration.lookup`, up until the block ends."""
    port = free_port()
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
        deadline = time.monotonic() + 15
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
