"""The collector's storage side: recovery on start, durable appends, periodic landing, and a
final flush on shutdown.

Every `flush_seconds` or `flush_events` accepted events, whichever comes first, the current
write-ahead log segment is closed and landed as Parquet by a process of its own (building
Parquet from rows holds the interpreter for a while: in the server's process it would hold up
acknowledgements). On start, segments a previous run left (a crash, a kill) are
landed first, before the server listens. A lock file keeps a second collector off the spool.
"""

from __future__ import annotations

import asyncio
import fcntl
import functools
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from orchestration.collector.landing import ensure_event_tables, land_segment
from orchestration.collector.wal import WriteAheadLog, segments

log = logging.getLogger(__name__)


def _landing_process(server: int) -> None:
    """The landing process ignores Ctrl-C (it reaches the whole process group; the server
    decides when to stop), yields the CPU to the server, whose latency matters more, and ends
    when the server is gone (killed: a landing cut short is redone from the spool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(10)

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _report(segment: Path, future: Future[dict[str, int]]) -> None:
    """Log the landing process's outcome (it logs nothing itself)."""
    if error := future.exception():
        # the segment stays in the spool: landed on stop, or by the next start
        log.error("landing %s failed (%s); it is kept in the spool", segment.name, error)
    else:
        counts = ", ".join(f"{table} {rows}" for table, rows in future.result().items())
        log.info("landed %s: %s", segment.name, counts or "no rows")


class SpoolBusy(RuntimeError):
    """Another collector holds the spool folder."""


@dataclass(frozen=True)
class Storage:
    raw_path: Path
    spool: Path
    flush_seconds: float = 60.0
    flush_events: int = 100_000


class Collector:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._lock_fd: int | None = None
        self._wal: WriteAheadLog | None = None
        self._landing = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_landing_process,
            initargs=(os.getpid(),),
        )
        self._timer: asyncio.Task[None] | None = None
        self._rotating: asyncio.Task[None] | None = None

    def recover(self) -> int:
        """Take the spool's lock and land every segment left in it; returns how many."""
        spool = self.storage.spool
        spool.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(spool / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SpoolBusy(f"another collector uses the spool folder {spool}") from None
        left = segments(spool)
        for segment in left:
            land_segment(segment, self.storage.raw_path)
        if left:
            log.info("recovered %d write-ahead log segment(s) into %s", len(left), spool)
        if created := ensure_event_tables(self.storage.raw_path):
            log.info("schema-only files for the event tables without one: %s", ", ".join(created))
        return len(left)

    async def start(self) -> None:
        if self._lock_fd is None:
            self.recover()
        self._wal = WriteAheadLog(self.storage.spool)
        self._timer = asyncio.get_running_loop().create_task(self._tick())

    async def append(self, payload: bytes, events: int) -> None:
        """Durably log one request's rows; `events` counts toward --flush-events."""
        assert self._wal is not None, "the collector is not started"
        await self._wal.append(payload, events)
        if self._wal.events >= self.storage.flush_events:
            self._rotate_soon()

    def _rotate_soon(self) -> None:
        if self._rotating is None or self._rotating.done():
            self._rotating = asyncio.get_running_loop().create_task(self._rotate())

    async def _rotate(self) -> None:
        assert self._wal is not None
        closed = await self._wal.rotate()
        future = self._landing.submit(land_segment, closed, self.storage.raw_path)
        future.add_done_callback(functools.partial(_report, closed))

    async def _tick(self) -> None:
        period = min(self.storage.flush_seconds, 1.0)
        while True:
            await asyncio.sleep(period)
            wal = self._wal
            if wal and wal.records and time.monotonic() - wal.opened >= self.storage.flush_seconds:
                self._rotate_soon()

    async def stop(self) -> None:
        """Land everything acknowledged so far, then release the spool."""
        if self._timer is not None:
            self._timer.cancel()
        if self._rotating is not None:
            await self._rotating
        if self._wal is not None:
            await self._wal.flushed()
            self._wal.close()
        self._landing.shutdown(wait=True)
        for segment in segments(self.storage.spool):
            land_segment(segment, self.storage.raw_path)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
        log.info("collector stopped; every acknowledged event is landed")
