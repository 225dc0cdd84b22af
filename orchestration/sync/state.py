"""Sync state in the warehouse (schema `sync`): per segment, destination and person what the
destination last confirmed; the audiences created; one history row per run; rejected rows.
State changes only after the destination answered: before a batch is sent its rows are marked
pending, so a crash leaves them pending and the next run resends them (adds and removes are
safe to repeat). `payload` holds what was sent, which a removal needs; for email platforms it
is the email, so the schema is as restricted as `pii`. `is_erased` is set by the warehouse's
erasure purge (dbt macro purge_erasures): such a person is removed whatever the mode, and the
row goes once the destination confirmed."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

import duckdb
import pandas as pd

from orchestration.sync.destinations.base import Prepared, RowResult

SYNCED, PENDING_ADD, PENDING_REMOVE, REJECTED = (
    "synced",
    "pending_add",
    "pending_remove",
    "rejected",
)

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
    primary key (segment_name, destination, person_id)
);
alter table sync.sync_state add column if not exists is_erased boolean default false;
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
    triggered_by varchar
);
alter table sync.sync_runs add column if not exists erased bigint;
alter table sync.sync_runs add column if not exists triggered_by varchar;
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


def _state_frame(batch: list[Prepared], refs: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": [p.person_id for p in batch],
            "identity_fingerprint": [p.identity_fingerprint for p in batch],
            "fingerprint": [p.fingerprint for p in batch],
            "payload": [p.payload() for p in batch],
            "ref": refs,
        }
    )


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


class SyncStore:
    def __init__(self, con: duckdb.DuckDBPyConnection, segment_name: str, destination: str):
        self.con, self.segment_name, self.destination = con, segment_name, destination
        ensure_tables(con)

    def _key(self) -> list[str]:
        return [self.segment_name, self.destination]

    def state(self) -> pd.DataFrame:
        return self.con.execute(
            "select person_id, status, identity_fingerprint, fingerprint, payload, ref, "
            "is_error_transient, coalesce(is_erased, false) as is_erased from sync.sync_state "
            "where segment_name = ? and destination = ?",
            self._key(),
        ).df()

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

    def mark_pending(self, batch: list[Prepared], status: str) -> None:
        """Before sending: these rows may be at the destination after this. A row keeps its
        platform id only while its identifiers are unchanged."""
        now = utcnow()
        frame = _state_frame(batch, [None] * len(batch))
        self._upsert(frame, status, now, keep_synced_at=True)

    def confirm(
        self, run_id: str, operation: str, batch: list[Prepared], rows: list[RowResult]
    ) -> None:
        """After the destination answered: confirmed adds become synced, confirmed removes
        leave the state, rejected rows are recorded with their error."""
        now = utcnow()
        by_person = {p.person_id: p for p in batch}
        ok = [r for r in rows if r.is_ok]
        failed = [r for r in rows if not r.is_ok]
        self.con.execute("begin transaction")
        try:
            if operation == "add" and ok:
                confirmed = [by_person[r.person_id] for r in ok]
                frame = _state_frame(confirmed, [r.ref for r in ok])
                self._upsert(frame, SYNCED, now, keep_synced_at=False)
            if operation == "remove" and ok:
                self._delete([r.person_id for r in ok])
            if failed:
                self._record_failures(run_id, operation, failed, now)
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise

    def _record_failures(self, run_id, operation, failed: list[RowResult], now) -> None:
        frame = pd.DataFrame(
            {
                "person_id": [r.person_id for r in failed],
                "error": [r.error for r in failed],
                "is_transient": [r.is_transient for r in failed],
            }
        )
        self.con.register("failed_rows", frame)
        # a rejected add is not at the destination; a rejected removal may still be there
        status = REJECTED if operation == "add" else PENDING_REMOVE
        self.con.execute(
            "update sync.sync_state set status = ?, last_error = f.error, "
            "is_error_transient = f.is_transient, updated_at = ? from failed_rows as f "
            "where sync_state.segment_name = ? and sync_state.destination = ? "
            "and sync_state.person_id = f.person_id",
            [status, now, *self._key()],
        )
        self.con.execute(
            "insert into sync.sync_rejections select ?, ?, ?, person_id, ?, error, is_transient, ? "
            "from failed_rows",
            [run_id, *self._key(), operation, now],
        )
        self.con.unregister("failed_rows")

    def _upsert(self, frame: pd.DataFrame, status: str, now, keep_synced_at: bool) -> None:
        self.con.register("upserted", frame)
        synced_at = "sync_state.synced_at" if keep_synced_at else "excluded.synced_at"
        self.con.execute(
            f"""
            insert into sync.sync_state (
                segment_name, destination, person_id, status, identity_fingerprint, fingerprint,
                payload, ref, last_error, is_error_transient, synced_at, updated_at
            )
            select ?, ?, person_id, ?, identity_fingerprint, fingerprint, payload, ref,
                null, null, ?, ?
            from upserted
            on conflict (segment_name, destination, person_id) do update set
                status = excluded.status,
                identity_fingerprint = excluded.identity_fingerprint,
                fingerprint = excluded.fingerprint,
                payload = excluded.payload,
                ref = case
                    when excluded.identity_fingerprint = sync_state.identity_fingerprint
                        then coalesce(excluded.ref, sync_state.ref)
                    else excluded.ref
                end,
                last_error = null,
                is_error_transient = null,
                synced_at = {synced_at},
                updated_at = excluded.updated_at
            """,
            [*self._key(), status, None if keep_synced_at else now, now],
        )
        self.con.unregister("upserted")

    def forget(self, person_ids: list[str]) -> None:
        """Drop state rows of rejected members who left: they never reached the destination."""
        if person_ids:
            self._delete(person_ids)

    def _delete(self, person_ids: list[str]) -> None:
        self.con.register("deleted", pd.DataFrame({"person_id": person_ids}))
        self.con.execute(
            "delete from sync.sync_state where segment_name = ? and destination = ? "
            "and person_id in (select person_id from deleted)",
            self._key(),
        )
        self.con.unregister("deleted")

    def record_run(self, run: RunRecord) -> None:
        values = asdict(run)
        columns = ", ".join(values)
        placeholders = ", ".join("?" for _ in values)
        self.con.execute(
            f"insert or replace into sync.sync_runs ({columns}) values ({placeholders})",
            list(values.values()),
        )
