"""Which members a run has to look at, found in the warehouse before anything is prepared in
Python: each export row's fingerprint (an MD5 of the row as JSON, with the destination and its
prepare version) is compared with the one the state stored when the member was last prepared.
Only new members, changed rows and members whose state is not plainly synced come back as
candidates; members who left (or were erased) come back from the state with what was sent. A
change sync therefore reads and prepares what changed, not the audience."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from orchestration.sync.state import SYNCED
from orchestration.warehouse import Warehouse

EXPORT = "sync_export"


@dataclass
class Changes:
    # export rows to prepare, with their state as state_* columns (null for new members)
    candidates: pa.Table
    # state rows of members no longer in the export, or erased
    leavers: pa.Table
    # members whose row and state are as last synced
    unchanged: int


def find_changes(
    con: Warehouse,
    relation: str,
    segment_name: str,
    destination: str,
    version: str,
    resend_all: bool,
) -> Changes:
    """Compare `relation` (the destination's export model) for one segment with the state.
    `version` names what prepared the stored rows; `resend_all` (full replace) makes every
    member a candidate."""
    con.execute(
        f"""
        create or replace temp table {EXPORT} as
        select *, md5(? || to_json(e)) as source_fingerprint
        from {relation} as e
        where segment_name = ? and person_id is not null
        qualify row_number() over (partition by person_id order by source_fingerprint) = 1
        """,
        [version, segment_name],
    )
    key = [segment_name, destination]
    joined = f"""
        from {EXPORT} as e
        left join sync.sync_state as s
            on s.segment_name = ? and s.destination = ? and s.person_id = e.person_id
        where not coalesce(s.is_erased, false)
    """
    is_unchanged = "(s.status = ? and s.source_fingerprint = e.source_fingerprint and not ?)"
    candidates = con.arrow(
        f"""
        select e.*, s.status as state_status, s.fingerprint as state_fingerprint,
            s.identity_fingerprint as state_identity_fingerprint, s.payload as state_payload,
            s.ref as state_ref, s.is_error_transient as state_is_error_transient
        {joined} and not coalesce({is_unchanged}, false)
        order by e.person_id
        """,
        [*key, SYNCED, resend_all],
    )
    ((unchanged,),) = con.execute(
        f"select count(*) {joined} and coalesce({is_unchanged}, false)",
        [*key, SYNCED, resend_all],
    ).fetchall()
    leavers = con.arrow(
        f"""
        select s.person_id, s.status, s.payload, s.ref, coalesce(s.is_erased, false) as is_erased
        from sync.sync_state as s
        where s.segment_name = ? and s.destination = ?
            and (
                coalesce(s.is_erased, false)
                or not exists (select 1 from {EXPORT} as e where e.person_id = s.person_id)
            )
        order by s.person_id
        """,
        key,
    )
    con.execute(f"drop table {EXPORT}")
    return Changes(candidates, leavers, unchanged)
