"""The write-ahead log: accepted requests are appended to the current segment file and
fsync'ed before they are acknowledged.

Group commit: requests append their record to a pending list; one writer at a time writes every
pending record with one os.write and one fdatasync, then wakes all their requests, so one fsync
covers everything that arrived while the previous one ran. The file work runs on one thread
(`io`), in submission order, so rotating to a new segment (also run there) falls between two
commits and a closed segment holds only fsync'ed records.

A segment is `wal-<id>.log`; a record is its length and CRC-32 (two little-endian uint32) and
the payload. A crash can leave a torn last record, never acknowledged: reading stops there.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import struct
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from orchestration.durable import fsync_path

log = logging.getLogger(__name__)
_HEADER = struct.Struct("<II")
PREFIX, SUFFIX = "wal-", ".log"


def frame(payload: bytes) -> bytes:
    return _HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def read_segment(path: Path) -> Iterator[bytes]:
    """The payloads of a segment, up to a torn or corrupt tail (logged, skipped)."""
    data = path.read_bytes()
    offset = 0
    while offset + _HEADER.size <= len(data):
        length, crc = _HEADER.unpack_from(data, offset)
        payload = data[offset + _HEADER.size : offset + _HEADER.size + length]
        if len(payload) < length or zlib.crc32(payload) != crc:
            break
        yield payload
        offset += _HEADER.size + length
    if offset < len(data):
        log.warning("%s: %d bytes of a torn last record skipped", path.name, len(data) - offset)


def segments(spool: Path) -> list[Path]:
    """The spool's segments, oldest first (ids are creation times)."""
    return sorted(spool.glob(f"{PREFIX}*{SUFFIX}"))


def segment_id(path: Path) -> str:
    return path.name[len(PREFIX) : -len(SUFFIX)]


class WriteAheadLog:
    """Appends records to the current segment with group commit; `rotate` closes it."""

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self.io = ThreadPoolExecutor(1, thread_name_prefix="collector-wal")
        self._pending: list[bytes] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._writer: asyncio.Task[None] | None = None
        self._path, self._fd = self._open()
        self._size, self._broken = 0, False
        self.opened = time.monotonic()
        self.events = self.records = 0

    def _open(self) -> tuple[Path, int]:
        stamp = time.time_ns()
        while (path := self.spool / f"{PREFIX}{stamp:020d}{SUFFIX}").exists():
            stamp += 1
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL, 0o600)
        fsync_path(self.spool)
        return path, fd

    def _write(self, data: bytes) -> None:
        """Append and fsync (io thread). A failed write (disk full) is cut off again, as a
        reader stops at a torn record and the records after it must be whole."""
        if self._broken:
            raise OSError(errno.EIO, "the write-ahead log could not be repaired after a failure")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
            os.fdatasync(self._fd)
        except OSError:
            try:
                os.ftruncate(self._fd, self._size)
            except OSError:
                self._broken = True
            raise
        self._size += len(data)

    def _swap(self) -> Path:
        """Close the current segment, open the next; returns the closed one (io thread)."""
        closed, fd = self._path, self._fd
        os.close(fd)
        self._path, self._fd = self._open()
        self._size = 0
        return closed

    async def append(self, payload: bytes, events: int) -> None:
        """Returns once the record is on disk (fsync'ed); raises OSError when it could not be."""
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        self._pending.append(frame(payload))
        self._waiters.append(waiter)
        self.events += events
        self.records += 1
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._drain())
        await waiter

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            data, waiters = b"".join(self._pending), self._waiters
            self._pending, self._waiters = [], []
            try:
                await loop.run_in_executor(self.io, self._write, data)
            except OSError as error:
                log.error("write-ahead log write failed: %s", error.strerror)
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_exception(OSError(error.errno, "write-ahead log write failed"))
            else:
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_result(None)

    async def flushed(self) -> None:
        """Returns once every record appended so far is written."""
        if self._writer is not None:
            await asyncio.shield(self._writer)

    async def rotate(self) -> Path:
        """Close the current segment after every record appended so far; returns it."""
        await self.flushed()
        closed = await asyncio.get_running_loop().run_in_executor(self.io, self._swap)
        self.opened, self.events, self.records = time.monotonic(), 0, 0
        return closed

    def close(self) -> None:
        """Close the current segment (nothing may be appending any more)."""
        self.io.shutdown(wait=True)
        os.close(self._fd)
