"""What a run must do: compare who should be in the audience (prepared members) with the
sync state, under the destination's mode.

- mirror: adds, removes and changes (default).
- upsert: adds and changes, never removes.
- additive: adds of new members only, for platforms that refuse removals from small audiences.
- full_replace: every wanted member is sent again and everybody else removed.

A member whose identifiers changed is removed under the old ones, then added under the new
ones; a change of attributes only (names, merge fields) is sent again as an add, which every
destination treats as an update. Rows left pending by a crash count as possibly present.
A person the warehouse erased (state flagged is_erased) is removed in every mode and never added."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from orchestration.sync.destinations.base import Prepared
from orchestration.sync.state import PENDING_ADD, PENDING_REMOVE, REJECTED, SYNCED

MAYBE_PRESENT = (SYNCED, PENDING_ADD, PENDING_REMOVE)


@dataclass
class Diff:
    adds: list[Prepared] = field(default_factory=list)
    removes: list[Prepared] = field(default_factory=list)
    # of the adds, those already at the destination with other attributes or identifiers
    changed: set[str] = field(default_factory=set)
    # of the removes, those removed only to be added again with new identifiers
    replaced: set[str] = field(default_factory=set)
    # of the adds, unchanged members a full replace sends again
    resent: set[str] = field(default_factory=set)
    unchanged: int = 0
    still_rejected: int = 0
    forgotten: list[str] = field(default_factory=list)
    # of the removes, erased persons'
    erased: set[str] = field(default_factory=set)
    refs: dict[str, str] = field(default_factory=dict)

    @property
    def removed_members(self) -> int:
        return len(self.removes) - len(self.replaced)


def compute_diff(wanted: list[Prepared], state: pd.DataFrame, mode: str) -> Diff:
    diff = Diff()
    rows = {row.person_id: row for row in state.itertuples(index=False)}
    diff.refs = {pid: row.ref for pid, row in rows.items() if isinstance(row.ref, str)}
    erased = {pid for pid, row in rows.items() if row.is_erased}
    wanted_ids = set()
    for member in wanted:
        if member.person_id in erased:
            continue
        wanted_ids.add(member.person_id)
        row = rows.get(member.person_id)
        if row is None:
            diff.adds.append(member)
            continue
        if row.status == REJECTED:
            retry = bool(row.is_error_transient) or row.fingerprint != member.fingerprint
            if retry or mode == "full_replace":
                diff.adds.append(member)
            else:
                diff.still_rejected += 1
            continue
        if row.status == SYNCED and row.fingerprint == member.fingerprint:
            diff.unchanged += 1
            if mode == "full_replace":
                diff.resent.add(member.person_id)
                diff.adds.append(member)
            continue
        if mode == "additive" and row.status == SYNCED:
            diff.unchanged += 1
            continue
        if row.identity_fingerprint != member.identity_fingerprint:
            diff.removes.append(Prepared.from_payload(member.person_id, row.payload))
            diff.replaced.add(member.person_id)
        if row.status == SYNCED and row.fingerprint != member.fingerprint:
            diff.changed.add(member.person_id)
        diff.adds.append(member)
    for pid, row in rows.items():
        if pid in wanted_ids:
            continue
        if row.status == REJECTED:
            diff.forgotten.append(pid)
        elif row.status in MAYBE_PRESENT and (pid in erased or mode in ("mirror", "full_replace")):
            diff.removes.append(Prepared.from_payload(pid, row.payload))
            if pid in erased:
                diff.erased.add(pid)
    return diff
