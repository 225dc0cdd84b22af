"""One sync run for a segment and a destination: find in the warehouse which members changed
since the state (orchestration/sync/changes.py), prepare only those, diff them, send removes
then adds in batches (concurrently up to the platform's limit), commit what each answer
confirms, and write the run's history row.

Removals name only platform keys no staying member holds, so persons sharing an email or a
phone never take each other off the platform. Members sharing an identity go out once per
batch. A 413 splits its batch in halves, down to single members, which are then rejected. Every
failure inside a run is contained: the run is recorded as failed with a redacted error and the
next pair goes on."""

from __future__ import annotations

import contextlib
import getpass
import os
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace

from tqdm import tqdm

from orchestration.relations import Relation, relation
from orchestration.sync import redact
from orchestration.sync.changes import find_changes
from orchestration.sync.destinations.base import Audience, Destination, Prepared, RowResult, ref_key
from orchestration.sync.diff import Diff, diff_candidates, diff_leavers
from orchestration.sync.errors import PayloadTooLarge
from orchestration.sync.errors import error_kind as kind_of
from orchestration.sync.prepare import prepared_chunks
from orchestration.sync.state import (
    PENDING_ADD,
    PENDING_REMOVE,
    RunRecord,
    SyncStore,
    record_run,
    utcnow,
)
from orchestration.warehouse import MissingRelation, Warehouse, WarehouseError

log = redact.logger(__name__)


class SyncRefused(RuntimeError):
    """The exports may not be synced (their quality check failed or never ran)."""

    kind = "refused"


def exports_check_passed(con: Warehouse) -> None:
    """Refuse unless the latest run of the exports suite had no blocking failure."""
    try:
        row = con.execute(
            "select run_id, count(case when is_blocking and not is_success then 1 end) "
            "from quality.check_results where suite = 'exports' "
            "group by run_id order by max(checked_at) desc limit 1"
        ).fetchone()
    except MissingRelation:
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


class ExportMissing(RuntimeError):
    """The destination has a module but the warehouse has no export model for it."""

    kind = "configuration"

    def __init__(self, destination: str, problem: str) -> None:
        super().__init__(
            f"{problem}: write the dbt files of "
            f"orchestration/sync/destinations/{destination}.py with "
            f"`python -m orchestration.sync.destinations`, then `dbt build --select "
            f"exp_{destination}`"
        )


def export_relation(destination: str) -> str:
    """The relation of the destination's export model, as the dbt manifest names it."""
    try:
        return str(relation(f"exp_{destination}"))
    except KeyError:
        raise ExportMissing(
            destination, f"exp_{destination} is not a model of the dbt project"
        ) from None


def export_exists(con: Warehouse, destination: str) -> None:
    """Refuse, naming the fix, when the export model of the destination was never built: a
    destination module added without writing its dbt files, or without a `dbt build` since."""
    export = Relation(*export_relation(destination).rsplit(".", 1))
    if not con.has_relation(export):
        raise ExportMissing(destination, f"{export} does not exist")


def read_members(con: Warehouse, destination: str, segment_name: str) -> list[dict]:
    """Every export row of the segment (for checks and tests; a run reads only changes)."""
    return con.arrow(
        f"select * from {export_relation(destination)} where segment_name = ? order by person_id",
        [segment_name],
    ).to_pylist()


def skipped_counts(con: Warehouse, destination: str, segment_name: str) -> tuple:
    try:
        row = con.execute(
            "select without_consent_count, holdout_count "
            f"from {relation('int_segment_destinations_counted')} "
            "where segment_name = ? and destination = ?",
            [segment_name, destination],
        ).fetchone()
    except MissingRelation:
        row = None
    return row or (0, 0)


def run_sync(
    con: Warehouse,
    destination: Destination,
    segment_name: str,
    *,
    dry_run: bool = False,
    mode: str | None = None,
    progress: tqdm | None = None,
    triggered_by: str | None = None,
) -> RunRecord:
    """Sync one segment to one destination; returns the run's history row (also stored). Any
    error is recorded in the row (status failed, error_kind, a redacted error), not raised."""
    mode = mode or destination.config.mode
    started = time.monotonic()
    run = RunRecord(uuid.uuid4().hex, segment_name, destination.name, mode, dry_run, utcnow())
    run.triggered_by = triggered_by or actor()
    http = destination.http
    counted_before = (http.requests_sent, http.retries) if http else (0, 0)
    store = None
    try:
        store = SyncStore(con, segment_name, destination.name)
        store.record_run(run)  # a run killed midway stays visible as 'running'
        run.skipped_consent, run.skipped_holdout = skipped_counts(
            con, destination.name, segment_name
        )
        with con.many_small_writes():
            Run(run, store, destination, mode, progress).go(dry_run)
    except Exception as error:
        run.status, run.error_kind = "failed", kind_of(error)
        run.error = redact.safe(error) if run.error_kind != "internal" else _internal(error)
        log.error("%s -> %s: %s", segment_name, destination.name, run.error)
    finally:
        if http is not None:
            run.requests = http.requests_sent - counted_before[0]
            run.retries = http.retries - counted_before[1]
        run.finished_at = utcnow()
        run.duration_seconds = time.monotonic() - started
        if store is not None:
            store.record_run(run)
        else:  # the state's tables failed their check: the history row, where it can go
            with contextlib.suppress(WarehouseError):
                record_run(con, run)
    return run


def _internal(error: Exception) -> str:
    """A bug's message may hold anything: its type and where it was raised, scrubbed."""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    where = f" at {os.path.basename(trace.tb_frame.f_code.co_filename)}:{trace.tb_lineno}"
    return redact.safe(f"{type(error).__name__}{where if trace else ''}: {error}")


def actor() -> str:
    """Who started a sync outside Dagster, for the audit log: env AUDIENCE_ACTOR, else the OS
    user."""
    if os.environ.get("AUDIENCE_ACTOR"):
        return os.environ["AUDIENCE_ACTOR"]
    return f"user {getpass.getuser()}"


@dataclass
class Run:
    """The work of one run, in the order it is done."""

    run: RunRecord
    store: SyncStore
    destination: Destination
    mode: str
    progress: tqdm | None
    audience: Audience | None = None
    failed_removals: set[str] = field(default_factory=set)

    def go(self, dry_run: bool) -> None:
        destination = self.destination
        export_exists(self.store.con, destination.name)
        changes = find_changes(
            self.store.con,
            export_relation(destination.name),
            self.run.segment_name,
            destination.name,
            f"{destination.name}:{destination.prepare_version}|",
            self.mode == "full_replace",
        )
        self.run.unchanged = self.run.wanted = changes.unchanged
        if self.progress is not None:
            self.progress.reset(total=changes.candidates.num_rows + changes.leavers.num_rows)
        if not dry_run:
            self.audience = destination.audience(self.run.segment_name, self.store.audience_id())
            self.store.remember_audience(self.audience.audience_id)
        leavers = diff_leavers(changes.leavers.to_pylist(), self.mode)
        self.apply(leavers, dry_run)
        for rows, prepared in prepared_chunks(destination, changes.candidates):
            self.apply(diff_candidates(rows, prepared, self.mode), dry_run)
        if not dry_run:
            destination.finish(self.audience)
        self.run.status = "dry_run" if dry_run else "partial" if self.run.rejected else "success"

    def apply(self, diff: Diff, dry_run: bool) -> None:
        """Count a diff (a dry run stops there), then send its removes and adds."""
        run = self.run
        run.wanted += diff.valid
        run.unchanged += diff.unchanged
        run.rejected += diff.still_rejected + len(diff.unreadable)
        run.invalid += diff.invalid
        if dry_run:
            run.added += len(diff.adds) - len(diff.changed) - len(diff.resent)
            run.changed += len(diff.changed)
            run.removed += diff.removed_members
            run.erased += len(diff.erased)
            run.batches += _batches(len(diff.removes), self.destination.batch_size)
            run.batches += _batches(len(diff.adds), self.destination.batch_size)
            return
        if diff.unreadable:
            self.store.reject(run.run_id, "read_state", diff.unreadable)
        self.store.refresh_sources(diff.refreshed)
        self._send(diff, "remove", self._narrowed(diff))
        adds = [p for p in diff.adds if p.person_id not in self.failed_removals]
        self._send(diff, "add", adds)
        self.store.forget(diff.forgotten)
        if self.progress is not None:
            self.progress.update(len(diff.adds) + len(diff.removes) + diff.unchanged)

    def _narrowed(self, diff: Diff) -> list[Prepared]:
        """The diff's removals limited to keys no staying member holds. A removal with no key
        left is done as it stands: nothing is sent, and a departed member's state goes."""
        if not diff.removes:
            return []
        keys = {p.person_id: self._removal_keys(p, diff.refs) for p in diff.removes}
        leaving = {p.person_id for p in diff.removes}
        held = self.store.held_keys((k for ks in keys.values() for k in ks), leaving)
        held.update(k for p in diff.adds for k in p.keys)
        narrowed, done = [], []
        for member in diff.removes:
            ref = diff.refs.get(member.person_id)
            kept = None if ref and ref_key(ref) in held else self.destination.narrowed(member, held)
            if kept is not None:
                narrowed.append(kept)
            elif member.person_id not in diff.replaced:
                done.append(member)
        if done:
            self.store.forget([p.person_id for p in done])
            self._count("remove", diff, [RowResult(p.person_id, True) for p in done])
        return narrowed

    def _removal_keys(self, member: Prepared, refs: dict[str, str]) -> list[str]:
        ref = refs.get(member.person_id)
        return self.destination.keys(member.identity) + ([ref_key(ref)] if ref else [])

    def _send(self, diff: Diff, operation: str, items: list[Prepared]) -> None:
        def send(batch: list[Prepared]) -> list[RowResult]:
            return _complete(batch, _once_per_identity(self._call(operation, diff), batch))

        def on_done(batch: list[Prepared], rows: list[RowResult]) -> None:
            self.store.confirm(self.run.run_id, operation, batch, rows)
            self.run.batches += 1
            self._count(operation, diff, rows)

        new = diff.new if operation == "add" else frozenset()
        _run_batches(self.destination, self.store, operation, items, send, on_done, new)

    def _call(self, operation: str, diff: Diff) -> Callable[[list[Prepared]], list[RowResult]]:
        def call(batch: list[Prepared]) -> list[RowResult]:
            if operation == "add":
                return self.destination.add(self.audience, batch).rows
            return self.destination.remove(self.audience, batch, diff.refs).rows

        return call

    def _count(self, operation: str, diff: Diff, rows: list[RowResult]) -> None:
        run = self.run
        for row in rows:
            if not row.is_ok:
                run.rejected += 1
                if operation == "remove":
                    self.failed_removals.add(row.person_id)
            elif operation == "remove" and row.person_id not in diff.replaced:
                run.removed += 1
                run.erased += row.person_id in diff.erased
            elif operation == "add" and row.person_id in diff.changed:
                run.changed += 1
            elif operation == "add" and row.person_id not in diff.resent:
                run.added += 1


def _batches(count: int, size: int) -> int:
    return -(-count // size)


def _once_per_identity(
    call: Callable[[list[Prepared]], list[RowResult]], batch: list[Prepared]
) -> list[RowResult]:
    """Members sharing an identity go out once (the platform holds one record for them, and
    some refuse a batch naming a record twice); each of them gets that record's answer."""
    firsts: dict[str, Prepared] = {}
    for p in batch:
        firsts.setdefault(p.identity_fingerprint, p)
    if len(firsts) == len(batch):
        return _halved_on_413(call, batch)
    answered = {row.person_id: row for row in _halved_on_413(call, list(firsts.values()))}
    rows = []
    for p in batch:
        answer = answered.get(firsts[p.identity_fingerprint].person_id)
        if answer is not None:
            rows.append(replace(answer, person_id=p.person_id))
    return rows


def _halved_on_413(
    call: Callable[[list[Prepared]], list[RowResult]], batch: list[Prepared]
) -> list[RowResult]:
    """A 413 halves the batch until a single member is refused as too large; that member is
    tried again next run (a gateway's 413 can pass, and a member whose data shrinks fits)."""
    try:
        return call(batch)
    except PayloadTooLarge:
        if len(batch) == 1:
            reason = "the platform refused the member as too large (HTTP 413)"
            return [RowResult(batch[0].person_id, False, reason, is_transient=True)]
        half = len(batch) // 2
        return _halved_on_413(call, batch[:half]) + _halved_on_413(call, batch[half:])


def _complete(batch: list[Prepared], rows: list[RowResult]) -> list[RowResult]:
    """Every member of the batch gets an answer; one the destination did not give is a
    transient failure, so it is sent again next run. A platform's error text is redacted
    against the member it is about."""
    answered = {row.person_id: row for row in rows}
    complete = []
    for p in batch:
        row = answered.get(p.person_id)
        if row is None:
            row = RowResult(p.person_id, False, "no answer for this member", is_transient=True)
        elif row.error is not None:
            words = redact.member_words([p.identity, p.attributes])
            row = RowResult(
                row.person_id, row.is_ok, redact.safe(row.error, words), row.is_transient, row.ref
            )
        complete.append(row)
    return complete


def _chunks(items: list[Prepared], size: int) -> Iterator[list[Prepared]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _run_batches(destination, store, operation, items, send, on_done, new) -> None:
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
                store.mark_pending(batch, status, new)
                in_flight[pool.submit(send, batch)] = batch

        for _ in range(destination.concurrency):
            submit_next()
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                batch = in_flight.pop(future)
                try:
                    rows = future.result()
                except Exception as failure:
                    error = error or failure
                    continue
                on_done(batch, rows)
                if error is None:
                    submit_next()
    if error is not None:
        raise error
