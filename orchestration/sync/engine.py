"""One sync run for a segment and a destination: read the export, prepare every member,
diff against the state, send removes then adds in batches (concurrently up to the platform's
limit), commit what each answer confirms, and write the run's history row."""

from __future__ import annotations

import getpass
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import duckdb
from tqdm import tqdm

from orchestration.sync.destinations.base import Destination, InvalidMember, Prepared, RowResult
from orchestration.sync.diff import Diff, compute_diff
from orchestration.sync.http import DestinationError, DestinationUnavailable
from orchestration.sync.state import PENDING_ADD, PENDING_REMOVE, RunRecord, SyncStore, utcnow

log = logging.getLogger(__name__)
COUNTS_TABLE = "intermediate.int_segment_destinations_counted"


class SyncRefused(RuntimeError):
    """The exports may not be synced (their quality check failed or never ran)."""


@dataclass
class Plan:
    """A run's diff and what it would send."""

    diff: Diff
    invalid: int
    wanted: int
    batch_size: int

    def batches(self) -> int:
        return _batches(len(self.diff.removes), self.batch_size) + _batches(
            len(self.diff.adds), self.batch_size
        )


def _batches(count: int, size: int) -> int:
    return -(-count // size)


def exports_check_passed(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse unless the latest run of the exports suite had no blocking failure."""
    try:
        row = con.execute(
            "select run_id, count(case when is_blocking and not is_success then 1 end) "
            "from quality.check_results where suite = 'exports' "
            "group by run_id order by max(checked_at) desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        row = None
    if row is None:
        raise SyncRefused(
            "the exports have never been checked: run `audience refresh` or `audience check` first"
        )
    if row[1]:
        raise SyncRefused(
            f"the latest exports check (run {row[0]}) had {row[1]} blocking failure(s): "
            "fix them and refresh before syncing"
        )


def read_members(con: duckdb.DuckDBPyConnection, destination: str, segment_name: str) -> list[dict]:
    frame = con.execute(
        f"select * from exports.exp_{destination} where segment_name = ? order by person_id",
        [segment_name],
    ).df()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def skipped_counts(con: duckdb.DuckDBPyConnection, destination: str, segment_name: str) -> tuple:
    try:
        row = con.execute(
            "select without_consent_count, holdout_count "
            f"from {COUNTS_TABLE} "
            "where segment_name = ? and destination = ?",
            [segment_name, destination],
        ).fetchone()
    except duckdb.CatalogException:
        row = None
    return row or (0, 0)


def plan(
    con: duckdb.DuckDBPyConnection, destination: Destination, store: SyncStore, mode: str
) -> Plan:
    segment_name = store.segment_name
    wanted, invalid = [], 0
    for member in read_members(con, destination.name, segment_name):
        try:
            wanted.append(destination.prepare(member))
        except InvalidMember as error:
            invalid += 1
            log.debug("%s: %s: invalid: %s", destination.name, member["person_id"], error)
    diff = compute_diff(wanted, store.state(), mode)
    return Plan(diff, invalid, len(wanted), destination.batch_size)


def run_sync(
    con: duckdb.DuckDBPyConnection,
    destination: Destination,
    segment_name: str,
    *,
    dry_run: bool = False,
    mode: str | None = None,
    progress: tqdm | None = None,
    triggered_by: str | None = None,
) -> RunRecord:
    """Sync one segment to one destination; returns the run's history row (also stored)."""
    mode = mode or destination.config.mode
    started = time.monotonic()
    run = RunRecord(uuid.uuid4().hex, segment_name, destination.name, mode, dry_run, utcnow())
    run.triggered_by = triggered_by or actor()
    store = SyncStore(con, segment_name, destination.name)
    store.record_run(run)  # a run killed midway stays visible as 'running'
    run.skipped_consent, run.skipped_holdout = skipped_counts(con, destination.name, segment_name)
    try:
        work = plan(con, destination, store, mode)
        run.wanted, run.invalid = work.wanted, work.invalid
        run.unchanged, run.rejected = work.diff.unchanged, work.diff.still_rejected
        if dry_run:
            _count_planned(run, work)
            run.status = "dry_run"
        else:
            if progress is not None:
                progress.reset(total=len(work.diff.removes) + len(work.diff.adds))
            _send_all(run, store, destination, work.diff, progress)
            run.status = "partial" if run.rejected else "success"
    except (DestinationError, DestinationUnavailable) as error:
        run.status, run.error = "failed", str(error)
        log.error("%s", error)
    except Exception as error:  # bad configuration or a bug: recorded, then raised
        run.status, run.error = "failed", f"{type(error).__name__}: {error}"
        raise
    finally:
        run.requests, run.retries = destination.http.requests_sent, destination.http.retries
        run.finished_at = utcnow()
        run.duration_seconds = time.monotonic() - started
        store.record_run(run)
    return run


def actor() -> str:
    """Who started a sync outside Dagster, for the audit log: env AUDIENCE_ACTOR, else the OS
    user."""
    if os.environ.get("AUDIENCE_ACTOR"):
        return os.environ["AUDIENCE_ACTOR"]
    return f"user {getpass.getuser()}"


def _count_planned(run: RunRecord, work: Plan) -> None:
    diff = work.diff
    run.added = len(diff.adds) - len(diff.changed) - len(diff.resent)
    run.changed = len(diff.changed)
    run.removed = diff.removed_members
    run.erased = len(diff.erased)
    run.batches = work.batches()


def _send_all(run, store: SyncStore, destination: Destination, diff: Diff, progress) -> None:
    audience = destination.audience(run.segment_name, store.audience_id())
    store.remember_audience(audience.audience_id)

    def sender(operation: str) -> Callable[[list[Prepared]], list[RowResult]]:
        def send(batch: list[Prepared]) -> list[RowResult]:
            if operation == "add":
                outcome = destination.add(audience, batch)
            else:
                outcome = destination.remove(audience, batch, diff.refs)
            return _complete(batch, outcome.rows)

        return send

    failed_removals: set[str] = set()

    def on_done(operation: str, batch: list[Prepared], rows: list[RowResult]) -> None:
        store.confirm(run.run_id, operation, batch, rows)
        run.batches += 1
        for row in rows:
            if not row.is_ok:
                run.rejected += 1
                if operation == "remove":
                    failed_removals.add(row.person_id)
            elif operation == "remove" and row.person_id not in diff.replaced:
                run.removed += 1
                run.erased += row.person_id in diff.erased
            elif operation == "add" and row.person_id in diff.changed:
                run.changed += 1
            elif operation == "add" and row.person_id not in diff.resent:
                run.added += 1
        if progress is not None:
            progress.update(len(batch))

    _run_batches(destination, store, "remove", diff.removes, sender("remove"), on_done)
    adds = [p for p in diff.adds if p.person_id not in failed_removals]
    _run_batches(destination, store, "add", adds, sender("add"), on_done)
    destination.finish(audience)
    store.forget(diff.forgotten)


def _complete(batch: list[Prepared], rows: list[RowResult]) -> list[RowResult]:
    """Every member of the batch gets an answer; one the destination did not give is a
    transient failure, so it is sent again next run."""
    answered = {row.person_id: row for row in rows}
    return [
        answered.get(p.person_id)
        or RowResult(p.person_id, False, "no answer for this member", is_transient=True)
        for p in batch
    ]


def _chunks(items: list[Prepared], size: int) -> Iterator[list[Prepared]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _run_batches(destination, store, operation, items, send, on_done) -> None:
    """Send batches with at most destination.concurrency in flight. Rows are marked pending
    before their batch leaves; answers are committed here, on the connection's thread. On an
    error no new batch starts; those in flight are committed, then the error is raised."""
    if not items:
        return
    status = PENDING_ADD if operation == "add" else PENDING_REMOVE
    batches = _chunks(items, destination.batch_size)
    error: BaseException | None = None
    with ThreadPoolExecutor(max_workers=destination.concurrency) as pool:
        in_flight: dict[Future, list[Prepared]] = {}

        def submit_next() -> None:
            batch = next(batches, None)
            if batch is not None:
                store.mark_pending(batch, status)
                in_flight[pool.submit(send, batch)] = batch

        for _ in range(destination.concurrency):
            submit_next()
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                batch = in_flight.pop(future)
                try:
                    rows = future.result()
                except (DestinationError, DestinationUnavailable) as failure:
                    error = error or failure
                    continue
                on_done(operation, batch, rows)
                if error is None:
                    submit_next()
    if error is not None:
        raise error
