"""What a run must do with the members the warehouse found changed (orchestration/sync/changes.py),
under the destination's mode:

- mirror: adds, removes and changes (default).
- upsert: adds and changes, never removes.
- additive: adds of new members only, for platforms that refuse removals from small audiences.
- full_replace: every wanted member is sent again and everybody else removed.

A member whose identifiers changed is removed under the old ones, then added under the new
ones; a change of attributes only (names, merge fields) is sent again as an add, which every
destination treats as an update. A state row of any status but rejected counts as possibly at
the destination (pending rows left by a crash, and statuses this version does not know). A
person the warehouse erased (state flagged is_erased) is removed in every mode and never added.
A state row whose payload cannot be read is reported, never a reason to stop the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orchestration.sync.destinations.base import InvalidMember, Prepared, RowResult
from orchestration.sync.state import REJECTED, SYNCED

REMOVING_MODES = ("mirror", "full_replace")


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
    # of the adds, members with no state row yet
    new: set[str] = field(default_factory=set)
    # of the removes, erased persons'
    erased: set[str] = field(default_factory=set)
    unchanged: int = 0
    still_rejected: int = 0
    invalid: int = 0
    # candidates prepared without error
    valid: int = 0
    forgotten: list[str] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)
    # members prepared again to what the destination holds (see SyncStore.refresh_sources)
    refreshed: list[Prepared] = field(default_factory=list)
    # state rows whose payload cannot be read (so their old identifiers cannot be removed)
    unreadable: list[RowResult] = field(default_factory=list)

    @property
    def removed_members(self) -> int:
        return len(self.removes) - len(self.replaced)

    def _remove(self, person_id: str, payload: Any, ref: Any) -> bool:
        try:
            self.removes.append(Prepared.from_payload(person_id, payload))
        except ValueError as error:
            self.unreadable.append(RowResult(person_id, False, f"sync_state.payload: {error}"))
            return False
        if isinstance(ref, str):
            self.refs[person_id] = ref
        return True


def diff_leavers(rows: list[dict[str, Any]], mode: str) -> Diff:
    """State rows of persons no longer in the export, or erased."""
    diff = Diff()
    for row in rows:
        pid = row["person_id"]
        if row["status"] == REJECTED:
            diff.forgotten.append(pid)
        elif row["is_erased"] or mode in REMOVING_MODES:
            removable = diff._remove(pid, row["payload"], row["ref"])
            if removable and row["is_erased"]:
                diff.erased.add(pid)
    return diff


def diff_candidates(
    rows: list[dict[str, Any]], prepared: list[Prepared | InvalidMember], mode: str
) -> Diff:
    """Export rows that are new, changed, or whose state is not plainly synced, each with its
    state (`state_*` columns, null for a new member) and what `prepare` made of it."""
    diff = Diff()
    for row, member in zip(rows, prepared, strict=True):
        pid, status = row["person_id"], row["state_status"]
        if isinstance(member, InvalidMember):
            diff.invalid += 1
            if status == REJECTED:
                diff.forgotten.append(pid)
            elif status is not None and mode in REMOVING_MODES:
                diff._remove(pid, row["state_payload"], row["state_ref"])
            continue
        diff.valid += 1
        if status is None:
            diff.adds.append(member)
            diff.new.add(pid)
        elif status == REJECTED:
            retry = bool(row["state_is_error_transient"])
            if retry or row["state_fingerprint"] != member.fingerprint or mode == "full_replace":
                diff.adds.append(member)
            else:
                diff.still_rejected += 1
        elif status == SYNCED and row["state_fingerprint"] == member.fingerprint:
            diff.unchanged += 1
            diff.refreshed.append(member)
            if mode == "full_replace":
                diff.resent.add(pid)
                diff.adds.append(member)
        elif mode == "additive" and status == SYNCED:
            diff.unchanged += 1
        else:
            if row["state_identity_fingerprint"] != member.identity_fingerprint and diff._remove(
                pid, row["state_payload"], row["state_ref"]
            ):
                diff.replaced.add(pid)
            if status == SYNCED:
                diff.changed.add(pid)
            diff.adds.append(member)
    return diff
