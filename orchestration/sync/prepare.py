"""Preparing members (normalizing and hashing their identifiers as the platform documents) is
the CPU-bound part of a sync. Chunks of a large change are prepared in worker processes, a few
chunks ahead of the batches being sent; small changes are prepared in the calling process,
where a worker's start-up would cost more than it saves. Rows go to a worker as Arrow IPC (no
per-row pickling) and come back packed as plain strings with their fingerprints computed."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import pyarrow as pa

from orchestration.sync.config import DestinationConfig, SyncConfigError
from orchestration.sync.destinations.base import Destination, InvalidMember, Prepared

CHUNK_ROWS = 20_000
# below this many members a run prepares them itself
PARALLEL_FROM = 50_000
# what the diff reads of each candidate row besides what prepare makes of it
STATE_COLUMNS = [
    "person_id", "source_fingerprint", "state_status", "state_fingerprint",
    "state_identity_fingerprint", "state_payload", "state_ref", "state_is_error_transient",
]  # fmt: skip
Outcome = Prepared | InvalidMember


def prepare_rows(destination: Destination, rows: list[dict[str, Any]]) -> list[Outcome]:
    """What `prepare` makes of each row: the prepared member, or why it is invalid."""
    out: list[Outcome] = []
    for row in rows:
        try:
            out.append(destination.prepare_row(row, row.get("source_fingerprint")))
        except InvalidMember as invalid:
            out.append(invalid)
    return out


def _prepare_in_worker(
    cls: type[Destination], config: DestinationConfig, chunk: pa.Buffer
) -> list[tuple | str]:
    rows = pa.ipc.open_stream(chunk).read_all().to_pylist()
    prepared = prepare_rows(cls(config, None), rows)
    return [m.packed() if isinstance(m, Prepared) else str(m) for m in prepared]


def _serialized(chunk: pa.Table) -> pa.Buffer:
    """The chunk as Arrow IPC: pickling a slice would carry the whole table's buffers."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, chunk.schema) as writer:
        writer.write_table(chunk)
    return sink.getvalue()


def _unpacked(packed: list[tuple | str]) -> list[Outcome]:
    return [Prepared.unpacked(p) if isinstance(p, tuple) else InvalidMember(p) for p in packed]


def workers() -> int:
    """Worker processes for a large change: AUDIENCE_SYNC_WORKERS, else one per core."""
    configured = os.environ.get("AUDIENCE_SYNC_WORKERS", "").strip()
    if not configured:
        return os.cpu_count() or 1
    if not configured.isdigit() or int(configured) < 1:
        raise SyncConfigError(
            f"environment variable AUDIENCE_SYNC_WORKERS: expected a whole number of worker "
            f"processes, 1 or more, got {configured!r}"
        )
    return int(configured)


def prepared_chunks(
    destination: Destination, table: pa.Table
) -> Iterator[tuple[list[dict[str, Any]], list[Outcome]]]:
    """(state rows, prepared) per chunk of `table`, in order; a chunk is a whole number of
    the destination's batches."""
    batch = destination.batch_size
    size = max(batch, CHUNK_ROWS // batch * batch)
    chunks = (table.slice(start, size) for start in range(0, table.num_rows, size))
    count = workers()
    if table.num_rows < PARALLEL_FROM or count < 2:
        for chunk in chunks:
            rows = chunk.to_pylist()
            yield rows, prepare_rows(destination, rows)
        return
    # spawn: the parent holds threads (DuckDB, HTTP pools) that a fork would copy mid-flight
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        ahead: deque[tuple[pa.Table, Future]] = deque()
        for chunk in chunks:
            job = pool.submit(
                _prepare_in_worker, type(destination), destination.config, _serialized(chunk)
            )
            ahead.append((chunk, job))
            if len(ahead) > 2 * count:
                yield _done(*ahead.popleft())
        while ahead:
            yield _done(*ahead.popleft())


def _done(chunk: pa.Table, job: Future) -> tuple[list[dict[str, Any]], list[Outcome]]:
    return chunk.select(STATE_COLUMNS).to_pylist(), _unpacked(job.result())
