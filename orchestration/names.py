"""Names a command takes (segments, destinations, suites), checked against the valid ones: an
unknown name is an error that lists them and suggests the closest."""

from __future__ import annotations

import difflib
from collections.abc import Collection


class UnknownName(ValueError):
    """A name that is none of the valid ones; the message names the flag it came from."""


def choose(name: str, valid: Collection[str], flag: str, kind: str, prefix: str = "") -> str:
    """`name` when valid, else `name` without `prefix` when that is valid (a dbt model name,
    segment_<name>, for its segment); UnknownName otherwise."""
    for candidate in (name, name.removeprefix(prefix)):
        if candidate in valid:
            return candidate
    listed = sorted(valid)
    close = difflib.get_close_matches(name.removeprefix(prefix), listed, n=1)
    hint = f"; did you mean {close[0]}?" if close else "."
    known = ", ".join(listed) if listed else "none"
    raise UnknownName(f"{flag}: no {kind} named {name!r}{hint} Valid {kind}s: {known}")
