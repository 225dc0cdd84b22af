"""Durability: acknowledged events survive SIGKILL exactly once; recovery is idempotent."""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests

from orchestration.collector.intake import Outcome
from orchestration.collector.landing import land_segment
from orchestration.collector.wal import WriteAheadLog, read_segment, segments
from tests.collector.support import WRITE_KEY, CollectorProcess


def batch(size: int) -> list[dict]:
    return [
        {
            "type": "track",
            "messageId": str(uuid.uuid4()),
            "anonymousId": "a",
            "event": "Page Scrolled",
            "properties": {"scroll_depth": 50},
        }
        for _ in range(size)
    ]


def test_sigkill_loses_no_acknowledged_event(tmp_path: Path) -> None:
    collector = CollectorProcess(tmp_path, "--flush-events", "300", "--flush-seconds", "0.3")
    collector.start()
    acknowledged: list[str] = []
    stop = threading.Event()

    def send() -> None:
        session = requests.Session()
        while not stop.is_set():
            events = batch(50)
            try:
                response = session.post(
                    f"{collector.url}/v1/batch",
                    json={"batch": events},
                    auth=(WRITE_KEY, ""),
                    timeout=5,
                )
            except requests.RequestException:
                continue  # the server is down: these were never acknowledged
            if response.status_code == 200:
                acknowledged.extend(e["messageId"] for e in events)

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 3000 and time.monotonic() < deadline:
        time.sleep(0.02)
    collector.kill()  # SIGKILL mid-stream
    time.sleep(0.2)
    stop.set()
    sender.join(10)
    assert len(acknowledged) >= 3000
    assert segments(collector.spool), "the kill left no write-ahead log to recover"

    collector.start()  # recovers the spool before it listens
    collector.stop()
    landed = Counter(collector.landed_ids("tracks"))
    assert not [mid for mid in acknowledged if landed[mid] != 1]
    assert max(landed.values()) == 1


def test_recovery_after_landing_before_deletion_writes_no_duplicate(tmp_path: Path) -> None:
    spool, raw = tmp_path / "spool", tmp_path / "raw"
    spool.mkdir()
    row = ["m1", "a", None, "x", "X", 0, 0, 0, 0, "{}"] + [None] * 18

    async def write() -> None:
        wal = WriteAheadLog(spool)
        await wal.append(Outcome("r1", {"tracks": [row]}, 1).payload(), 1)
        await wal.append(Outcome("r2", {"tracks": [["m2", *row[1:]]]}, 1).payload(), 1)
        wal.close()

    asyncio.run(write())
    [segment] = segments(spool)
    with open(segment, "ab") as file:
        file.write(b"\x10\x00\x00\x00torn")  # a record cut short by a crash
    kept = tmp_path / "kept.log"
    shutil.copy(segment, kept)
    land_segment(segment, raw)
    shutil.copy(kept, segment)  # as if the crash came before the segment was deleted

    collector = CollectorProcess(tmp_path).start()
    collector.stop()
    assert not segments(spool)
    assert len(list((raw / "tracks").glob("*.parquet"))) == 1
    assert sorted(collector.landed_ids("tracks")) == ["m1", "m2"]


def test_a_failed_write_leaves_no_torn_record_before_later_ones(
    tmp_path: Path, monkeypatch
) -> None:
    real = os.fdatasync
    failing = {"once": True}

    def fdatasync(fd: int) -> None:
        if failing.pop("once", False):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    async def write() -> None:
        wal = WriteAheadLog(tmp_path)
        await wal.append(b"first", 1)
        monkeypatch.setattr(os, "fdatasync", fdatasync)
        with pytest.raises(OSError):
            await wal.append(b"not acknowledged", 1)
        await wal.append(b"third", 1)
        wal.close()

    asyncio.run(write())
    [segment] = segments(tmp_path)
    assert list(read_segment(segment)) == [b"first", b"third"]
