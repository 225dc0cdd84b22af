"""Version folders of the published copy: their names, fsync, the atomic swap of `current`, the
lock that keeps two publishes apart and the pruning of old versions."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from orchestration.durable import fsync_path
from orchestration.publish.location import CURRENT, current_version
from orchestration.warehouse import WarehouseBusy

log = logging.getLogger(__name__)

KEEP_VERSIONS = 3
INCOMPLETE = ".incomplete-"
LOCK = ".publish.lock"
VERSION = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{6}$")


class PublishBusy(WarehouseBusy):
    """Another publish into the same folder is under way."""


def new_version_name(now: datetime | None = None) -> str:
    """`<UTC timestamp>-<short id>`, e.g. 20261206T053012123456Z-4f2a9c: sorts in time order."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def versions(publish_dir: Path) -> list[str]:
    """Names of the complete version folders, oldest first."""
    return sorted(
        entry.name
        for entry in publish_dir.iterdir()
        if VERSION.match(entry.name) and entry.is_dir()
    )


def fsync_tree(folder: Path) -> None:
    """Every file in the folder on disk, then the folder's entries."""
    for entry in folder.iterdir():
        if entry.is_file():
            fsync_path(entry)
    fsync_path(folder)


@contextlib.contextmanager
def publish_lock(publish_dir: Path) -> Iterator[None]:
    """Held for a whole publish; PublishBusy at once when another publish holds it."""
    with open(publish_dir / LOCK, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishBusy(
                f"another `audience publish` is writing to {publish_dir}: run this again when it "
                "has finished"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def swap_current(publish_dir: Path, version: str) -> None:
    """Point `current` at the version folder in one rename: readers see the old or the new."""
    temporary = publish_dir / f".{CURRENT}-{secrets.token_hex(4)}"
    os.symlink(version, temporary)
    try:
        os.replace(temporary, publish_dir / CURRENT)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_path(publish_dir)


def prune(publish_dir: Path, keep: int = KEEP_VERSIONS) -> list[str]:
    """Delete all but the newest `keep` versions (never the current one) and folders left by
    publishes that died; names deleted. A reader with a file open keeps reading it (Linux)."""
    current = current_version(publish_dir)
    names = versions(publish_dir)
    doomed = [
        name
        for name in names[: max(len(names) - keep, 0)]
        if current is None or name != current.name
    ]
    doomed += [entry.name for entry in publish_dir.iterdir() if entry.name.startswith(INCOMPLETE)]
    for name in doomed:
        shutil.rmtree(publish_dir / name, ignore_errors=True)
    if doomed:
        log.info("pruned %d old published versions", len(doomed))
    return doomed
