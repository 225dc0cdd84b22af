"""Processes the operations tests start: make targets in the demo's copy, in a process group of
their own, and how to wait for them, see where they listen, and stop them."""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.operations.conftest import VENV, DemoClone


def start_make(
    clone: DemoClone,
    target: list[str],
    log: Path,
    env: dict[str, str] | None = None,
    background: bool = False,
) -> subprocess.Popen:
    """`make <target>` (its variables included) in its own process group, never reinstalling
    the venv: as a terminal runs it, or as a script's background job (`make dev &`, nohup),
    which starts with SIGINT ignored."""
    with log.open("w") as output:
        return subprocess.Popen(
            ["make", "-o", "install", *target, f"VENV={VENV}"],
            cwd=clone.root,
            env={**clone.env, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
            if background
            else None,
        )


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make exited with {process.returncode}:\n{log.read_text()[-5000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"make did not answer {url} in {timeout} s:\n{log.read_text()[-5000:]}")


def group_stopped(group: int, timeout: float) -> bool:
    """Whether every process of the group ended within the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(1)
    return False


def stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def listening_addresses(port: int) -> set[str]:
    """The local addresses a socket listens on for the port (IPv4 as dotted quads, IPv6 as
    the kernel's hex), from /proc."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.add(
                    socket.inet_ntoa(bytes.fromhex(address)[::-1]) if len(address) == 8 else address
                )
    return found
