"""What can stop a sync run, as the run's history records it (`sync.sync_runs.error_kind`). Every
message is built from redacted parts (orchestration/sync/redact.py): it is shown, logged and
stored as it is."""

from __future__ import annotations

from typing import Any


class DestinationError(RuntimeError):
    """The destination refused a request for good (a 4xx other than 408 and 429), or answered
    in a way no retry can mend. `body` is the platform's answer for the destination module to
    read; it is never part of the message."""

    kind = "destination"

    def __init__(self, message: str, status: int | None = None, body: Any = None):
        super().__init__(message)
        self.status, self.body = status, body


class PayloadTooLarge(DestinationError):
    """413: the engine splits the batch in halves and sends each."""


class DestinationUnavailable(RuntimeError):
    """The destination kept failing (429, 5xx, timeouts, malformed or unexpected answers) after
    every retry."""

    kind = "unavailable"


class SyncStateError(RuntimeError):
    """The sync tables are not as the engine needs them; the message names the table and the
    fix."""

    kind = "state"


def error_kind(error: BaseException) -> str:
    """configuration, destination, unavailable, state, refused, busy or internal."""
    return getattr(error, "kind", "internal")
