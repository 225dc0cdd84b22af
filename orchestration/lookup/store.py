"""The published copy the API reads: the serving index (lookup.sqlite) of the version `current`
points to, reopened when `current` moves (checked at most once per interval), without a restart.

Handles are used from the event loop's thread only (the endpoints are async and never await
while they hold a snapshot); a replaced snapshot is closed once its last request is done."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from orchestration.publish.location import INDEX, MANIFEST, current_version

log = logging.getLogger(__name__)

# memory-mapped reads of the immutable file: no read() call per page
MMAP_BYTES = 2**31 - 2**16


class PublishedCopyError(RuntimeError):
    """No published copy, or one the API cannot read."""


@dataclass
class Snapshot:
    """One published version's serving index, open read-only."""

    version: str
    published_at: str | None
    db: sqlite3.Connection
    segments: frozenset[str]
    erased_persons: frozenset[str]
    in_flight: int = 0
    retired: bool = field(default=False)

    def is_erased(self, identifier_hash: str) -> bool:
        found = self.db.execute(
            "select 1 from erased where identifier_hash = ?", (bytes.fromhex(identifier_hash),)
        ).fetchone()
        return found is not None

    def person_for(self, identifier_hash: str, identifier_type: str) -> str | None:
        """The person an identifier hash belongs to; None when unknown or on the erasure list,
        or when any identifier of the person is on it."""
        if self.is_erased(identifier_hash):
            return None
        row = self.db.execute(
            "select person_id from identifiers where identifier_hash = ? and identifier_type = ?",
            (bytes.fromhex(identifier_hash), identifier_type),
        ).fetchone()
        return None if row is None or row[0] in self.erased_persons else row[0]

    def profile(self, person_id: str) -> bytes | None:
        """The person's profile document (JSON bytes); None for unknown or erased persons."""
        if person_id in self.erased_persons:
            return None
        row = self.db.execute(
            "select profile from profiles where person_id = ?", (person_id,)
        ).fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        self.db.close()


def open_snapshot(folder: Path) -> Snapshot:
    index = folder / INDEX
    if not index.is_file():
        raise PublishedCopyError(
            f"published version {folder.name} has no {INDEX}: the warehouse had no serving "
            "schema when it was published; build the serving models, then `audience publish`"
        )
    db = sqlite3.connect(
        f"{index.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
    )
    try:
        db.execute(f"pragma mmap_size = {MMAP_BYTES}")
        segments = frozenset(row[0] for row in db.execute("select segment_name from segments"))
        erased_persons = frozenset(
            row[0]
            for row in db.execute(
                "select distinct person_id from identifiers join erased using (identifier_hash)"
            )
        )
        manifest = orjson.loads((folder / MANIFEST).read_bytes())
    except (sqlite3.Error, OSError, orjson.JSONDecodeError) as error:
        db.close()
        raise PublishedCopyError(f"published version {folder.name}: {error}") from None
    return Snapshot(folder.name, manifest.get("published_at"), db, segments, erased_persons)


class PublishedStore:
    """The current published version, following `current` without a restart."""

    def __init__(self, publish_dir: Path, check_interval: float = 1.0) -> None:
        self.publish_dir = publish_dir
        self.check_interval = check_interval
        folder = current_version(publish_dir)
        if folder is None:
            raise PublishedCopyError(
                f"no published copy in {publish_dir}: run `audience publish` after a build"
            )
        self._snapshot = open_snapshot(folder)
        self._checked = time.monotonic()
        self._failed: str | None = None
        log.info("serving published version %s", self._snapshot.version)

    def _refresh(self) -> None:
        folder = current_version(self.publish_dir)
        if folder is None or folder.name in (self._snapshot.version, self._failed):
            return
        try:
            fresh = open_snapshot(folder)
        except PublishedCopyError as error:
            self._failed = folder.name
            log.error("still serving %s: %s", self._snapshot.version, error)
            return
        old, self._snapshot = self._snapshot, fresh
        old.retired = True
        if old.in_flight == 0:
            old.close()
        log.info("serving published version %s (was %s)", fresh.version, old.version)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """The current version for one request, kept open until the request is done."""
        now = time.monotonic()
        if now - self._checked >= self.check_interval:
            self._checked = now
            self._refresh()
        current = self._snapshot
        current.in_flight += 1
        try:
            yield current
        finally:
            current.in_flight -= 1
            if current.retired and current.in_flight == 0:
                current.close()

    def close(self) -> None:
        self._snapshot.close()
