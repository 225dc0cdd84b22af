"""Wall time and peak memory of a command and every process it starts."""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

POLL_SECONDS = 0.1


@dataclass
class Measured:
    seconds: float
    peak_mib: float
    stdout: str


def _tree_rss(process: psutil.Process) -> int:
    """Resident bytes of the process and all its descendants (0 for those already gone)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def measured(
    command: list[str], env: dict[str, str], cwd: Path, ok_codes: tuple[int, ...] = (0,)
) -> Measured:
    """Run the command, sampling the resident memory of its process tree every POLL_SECONDS;
    exits with its output when it ends with a code not in ok_codes."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        watched = psutil.Process(child.pid)
        while not done.wait(POLL_SECONDS):
            try:
                peak = max(peak, _tree_rss(watched))
            except psutil.NoSuchProcess:
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{stdout[-5000:]}")
    return Measured(seconds, peak / 2**20, stdout)
