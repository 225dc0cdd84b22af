"""Sync state in the warehouse (schema `sync`): per segment, destination and person what the
destination last confirmed; the audiences created; one history row per run; rejected rows.
State changes only after the destination answered: before a batch is sent its rows are marked
pending, so a crash leaves them pending and the next run resends them (adds and removes are
safe to repeat). `payload` holds what was sent, which a removal needs; for email platforms it
is the email, so the schema is as restricted as `pii`. `keys` are the platform keys the payload
occupies (hashed emails, phones, platform ids): a key is removed from the platform only while no
staying member holds it. `source_fingerprint` is the fingerprint of the export row the payload
was prepared from: a run prepares only members whose row changed. `is_erased` is set by the
warehouse's erasure purge (dbt macro purge_erasures): such a person is removed whatever the
mode, and the row goes once the destination confirmed."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass

import pyarrow as pa

from orchestration.sync.destinations.base import Prepared, RowResult
from orchestration.sync.errors import SyncStateError
from orchestration.warehouse import Warehouse

SYNCED, PENDING_ADD, PENDING_REMOVE, REJECTED = (
    "synced",
    "pending_add",
    "pending_remove",
    "rejected",
)
# one history row per run, which fct_audit_log and the report read
SYNC_RUNS_TABLE = "sync.sync_runs"

DDL = """
create schema if not exists sync;
create table if not exists sync.sync_state (
    segment_name varchar not null,
    destination varchar not null,
    person_id varchar not null,
    status varchar not null,
    identity_fingerprint varchar not null,
    fingerprint varchar not null,
    payload varchar not null,
    ref varchar,
    last_error varchar,
    is_error_transient boolean,
    synced_at timestamp,
    updated_at timestamp not null,
    is_erased boolean default false,
    source_fingerprint varchar,
    keys varchar[],
    primary key (segment_name, destination, person_id)
);
alter table sync.sync_state add column if not exists is_erased boolean default false;
alter table sync.sync_state add column if not exists source_fingerprint varchar;
alter table sync.sync_state add column if not exists keys varchar[];
create table if not exists sync.sync_audiences (
    segment_name varchar not null,
    destination varchar not null,
    audience_id varchar not null,
    created_at timestamp not null,
    primary key (segment_name, destination)
);
create table if not exists sync.sync_runs (
    run_id varchar primary key,
    segment_name varchar not null,
    destination varchar not null,
    mode varchar not null,
    is_dry_run boolean not null,
    started_at timestamp not null,
    finished_at timestamp,
    duration_seconds double,
    status varchar not null,
    wanted bigint,
    added bigint,
    removed bigint,
    changed bigint,
    unchanged bigint,
    rejected bigint,
    invalid bigint,
    skipped_consent bigint,
    skipped_holdout bigint,
    erased bigint,
    batches bigint,
    requests bigint,
    retries bigint,
    match_rate double,
    error varchar,
    triggered_by varchar,
    error_kind varchar
);
alter table sync.sync_runs add column if not exists erased bigint;
alter table sync.sync_runs add column if not exists triggered_by varchar;
alter table sync.sync_runs add column if not exists error_kind varchar;
create table if not exists sync.sync_rejections (
    run_id varchar not null,
    segment_name varchar not null,
    destination varchar not null,
    person_id varchar not null,
    operation varchar not null,
    error varchar,
    is_transient boolean,
    rejected_at timestamp not null
);
"""
# a batch of state rows (registered as `upserted`) as pending; with _ON_CONFLICT, over the rows
# already there: a row keeps its platform id while its identity is unchanged, and while it is
# being removed (by that id, whatever part of the identity the removal names)
_INSERT = """
insert into sync.sync_state (
    segment_name, destination, person_id, status, identity_fingerprint, fingerprint, payload,
    ref, last_error, is_error_transient, synced_at, updated_at, keys, source_fingerprint
)
select ?, ?, person_id, ?, identity_fingerprint, fingerprint, payload, ref, null, null, ?, ?,
    keys, source_fingerprint
from upserted
"""
_ON_CONFLICT = """
on conflict (segment_name, destination, person_id) do update set
    status = excluded.status,
    identity_fingerprint = excluded.identity_fingerprint,
    fingerprint = excluded.fingerprint,
    payload = excluded.payload,
    ref = case
        when excluded.status = 'pending_remove'
            or excluded.identity_fingerprint = sync_state.identity_fingerprint
            then coalesce(excluded.ref, sync_state.ref)
        else excluded.ref
    end,
    keys = coalesce(excluded.keys, sync_state.keys),
    source_fingerprint = coalesce(excluded.source_fingerprint, sync_state.source_fingerprint),
    last_error = null,
    is_error_transient = null,
    updated_at = excluded.updated_at
"""
# table -> its primary key, which the upserts need
PRIMARY_KEYS = {
    "sync_state": ["segment_name", "destination", "person_id"],
    "sync_audiences": ["segment_name", "destination"],
    "sync_runs": ["run_id"],
}


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


@dataclass
class RunRecord:
    run_id: str
    segment_name: str
    destination: str
    mode: str
    is_dry_run: bool
    started_at: datetime.datetime
    status: str = "running"
    finished_at: datetime.datetime | None = None
    duration_seconds: float | None = None
    wanted: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    invalid: int = 0
    skipped_consent: int = 0
    skipped_holdout: int = 0
    # members removed because their person was erased (removed whatever the mode)
    erased: int = 0
    batches: int = 0
    requests: int = 0
    retries: int = 0
    # the share of sent members the platform matched, where it reports one per request; none of
    # the shipped destinations does (Meta reports matches per upload session, hours later)
    match_rate: float | None = None
    error: str | None = None
    # who started the run, for the audit log: env AUDIENCE_ACTOR, the Dagster run, or the OS user
    triggered_by: str | None = None
    # what stopped a failed run (orchestration/sync/errors.py): configuration, destination,
    # unavailable, state, refused, busy or internal
    error_kind: str | None = None


def _state_table(batch: list[Prepared], with_keys: bool) -> pa.Table:
    return pa.table(
        {
            "person_id": [p.person_id for p in batch],
            "identity_fingerprint": [p.identity_fingerprint for p in batch],
            "fingerprint": [p.fingerprint for p in batch],
            "payload": [p.payload for p in batch],
            "ref": pa.array([None] * len(batch), pa.string()),
            "keys": pa.array(
                [list(p.keys) if with_keys else None for p in batch], pa.list_(pa.string())
            ),
            "source_fingerprint": pa.array([p.source_fingerprint for p in batch], pa.string()),
        }
    )


def ensure_tables(con: Warehouse) -> None:
    """Create or upgrade the sync tables, then check each has the primary key the engine's
    upserts need (a table copied or restored without it would fail every run)."""
    con.execute(DDL)
    found = {
        (table, tuple(columns))
        for table, columns in con.execute(
            "select table_name, constraint_column_names from duckdb_constraints() "
            "where schema_name = 'sync' and constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    }
    for table, columns in PRIMARY_KEYS.items():
        if (table, tuple(columns)) not in found:
            key = ", ".join(columns)
            raise SyncStateError(
                f"sync.{table} has no primary key, which the sync needs. Fix: delete duplicate "
                f"rows, then `alter table sync.{table} add primary key ({key})`"
            )


class SyncStore:
    def __init__(self, con: Warehouse, segment_name: str, destination: str):
        self.con, self.segment_name, self.destination = con, segment_name, destination
        ensure_tables(con)

    def _key(self) -> list[str]:
        return [self.segment_name, self.destination]

    def audience_id(self) -> str | None:
        row = self.con.execute(
            "select audience_id from sync.sync_audiences "
            "where segment_name = ? and destination = ?",
            self._key(),
        ).fetchone()
        return row[0] if row else None

    def remember_audience(self, audience_id: str) -> None:
        self.con.execute(
            "insert or replace into sync.sync_audiences values (?, ?, ?, ?)",
            [*self._key(), audience_id, utcnow()],
        )

    def mark_pending(
        self, batch: list[Prepared], status: str, new: Collection[str] = frozenset()
    ) -> None:
        """Before sending: these rows may be at the destination after this. A row keeps its
        platform id only while its identifiers are unchanged; a removal keeps the row's keys
        and source fingerprint. Members in `new` have no state row yet: they are inserted,
        which costs DuckDB half what an upsert does."""
        with_keys = status == PENDING_ADD
        fresh = [p for p in batch if p.person_id in new]
        known = [p for p in batch if p.person_id not in new] if fresh else batch
        if fresh:
            self._upsert(_state_table(fresh, with_keys), status, utcnow(), insert_only=True)
        if known:
            self._upsert(_state_table(known, with_keys), status, utcnow())

    def confirm(
        self, run_id: str, operation: str, batch: list[Prepared], rows: list[RowResult]
    ) -> None:
        """After the destination answered: confirmed adds become synced, confirmed removes
        leave the state, rejected rows are recorded with their error."""
        now = utcnow()
        ok = [r for r in rows if r.is_ok]
        failed = [r for r in rows if not r.is_ok]
        self.con.execute("begin transaction")
        try:
            if operation == "add" and ok:
                self._confirm_adds(ok, now)
            if operation == "remove" and ok:
                self.forget([r.person_id for r in ok])
            if failed:
                status = REJECTED if operation == "add" else PENDING_REMOVE
                self._set_failed(status, failed, now)
                self.reject(run_id, operation, failed, now)
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise

    def _confirm_adds(self, ok: list[RowResult], now) -> None:
        """The rows were written whole when marked pending: only their status, platform id and
        times change (a narrow update, the cheapest write DuckDB has for them)."""
        self.con.register(
            "confirmed",
            pa.table(
                {
                    "person_id": [r.person_id for r in ok],
                    "ref": pa.array([r.ref for r in ok], pa.string()),
                }
            ),
        )
        self.con.execute(
            "update sync.sync_state set status = ?, ref = coalesce(c.ref, sync_state.ref), "
            "last_error = null, is_error_transient = null, synced_at = ?, updated_at = ? "
            "from confirmed as c where sync_state.segment_name = ? "
            "and sync_state.destination = ? and sync_state.person_id = c.person_id",
            [SYNCED, now, now, *self._key()],
        )
        self.con.unregister("confirmed")

    def _set_failed(self, status: str, failed: list[RowResult], now) -> None:
        """A rejected add is not at the destination; a rejected removal may still be there."""
        self.con.register("failed_rows", _failures(failed))
        self.con.execute(
            "update sync.sync_state set status = ?, last_error = f.error, "
            "is_error_transient = f.is_transient, updated_at = ? from failed_rows as f "
            "where sync_state.segment_name = ? and sync_state.destination = ? "
            "and sync_state.person_id = f.person_id",
            [status, now, *self._key()],
        )
        self.con.unregister("failed_rows")

    def reject(self, run_id: str, operation: str, failed: list[RowResult], now=None) -> None:
        """Record rows the destination (or the state itself) could not take."""
        self.con.register("rejected_rows", _failures(failed))
        self.con.execute(
            "insert into sync.sync_rejections select ?, ?, ?, person_id, ?, error, is_transient, ? "
            "from rejected_rows",
            [run_id, *self._key(), operation, now or utcnow()],
        )
        self.con.unregister("rejected_rows")

    def _upsert(self, table: pa.Table, status: str, now, insert_only: bool = False) -> None:
        self.con.register("upserted", table)
        self.con.execute(
            _INSERT if insert_only else _INSERT + _ON_CONFLICT,
            [*self._key(), status, None, now],
        )
        self.con.unregister("upserted")

    def refresh_sources(self, refreshed: list[Prepared]) -> None:
        """Members prepared again to exactly what the destination holds (their export row
        changed in nothing it receives, or the state predates row fingerprints and keys): the
        state takes their row's fingerprint and their platform keys, so they are not prepared
        again and their keys count when others leave."""
        if not refreshed:
            return
        self.con.register(
            "refreshed",
            pa.table(
                {
                    "person_id": [p.person_id for p in refreshed],
                    "source_fingerprint": [p.source_fingerprint for p in refreshed],
                    "keys": pa.array([list(p.keys) for p in refreshed], pa.list_(pa.string())),
                }
            ),
        )
        self.con.execute(
            "update sync.sync_state set source_fingerprint = r.source_fingerprint, keys = r.keys "
            "from refreshed as r where sync_state.segment_name = ? "
            "and sync_state.destination = ? and sync_state.person_id = r.person_id",
            self._key(),
        )
        self.con.unregister("refreshed")

    def held_keys(self, keys: Iterable[str], leaving: Iterable[str]) -> set[str]:
        """Of `keys`, those a member who may be at the destination and is not among `leaving`
        holds (its identity keys, or its platform record id as 'ref:<id>')."""
        wanted = sorted(set(keys))
        if not wanted:
            return set()
        self.con.register("asked_keys", pa.table({"key": wanted}))
        self.con.register("leaving_persons", pa.table({"person_id": sorted(set(leaving))}))
        try:
            rows = self.con.execute(
                """
                with holders as (
                    select person_id, unnest(list_append(keys, 'ref:' || ref)) as key
                    from sync.sync_state
                    where segment_name = ? and destination = ? and status <> 'rejected'
                )
                select distinct h.key
                from holders as h
                inner join asked_keys as a on h.key = a.key
                where not exists (
                    select 1 from leaving_persons as l where l.person_id = h.person_id
                )
                """,
                self._key(),
            ).fetchall()
        finally:
            self.con.unregister("asked_keys")
            self.con.unregister("leaving_persons")
        return {row[0] for row in rows}

    def forget(self, person_ids: list[str]) -> None:
        """Drop state rows: confirmed removals, and rejected members who left (they never
        reached the destination)."""
        if not person_ids:
            return
        self.con.register("deleted", pa.table({"person_id": person_ids}))
        self.con.execute(
            "delete from sync.sync_state where segment_name = ? and destination = ? "
            "and person_id in (select person_id from deleted)",
            self._key(),
        )
        self.con.unregister("deleted")

    def record_run(self, run: RunRecord) -> None:
        record_run(self.con, run)


def record_run(con: Warehouse, run: RunRecord) -> None:
    """Write the run's history row (replacing the row of the same run written when it
    started)."""
    values = asdict(run)
    columns = ", ".join(values)
    placeholders = ", ".join("?" for _ in values)
    con.execute(
        f"insert or replace into {SYNC_RUNS_TABLE} ({columns}) values ({placeholders})",
        list(values.values()),
    )


def _failures(failed: list[RowResult]) -> pa.Table:
    return pa.table(
        {
            "person_id": [r.person_id for r in failed],
            "error": pa.array([r.error for r in failed], pa.string()),
            "is_transient": pa.array([r.is_transient for r in failed], pa.bool_()),
        }
    )
