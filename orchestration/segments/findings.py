"""What a check found: an error (the build would fail, or run something other than meant) or a
warning (legal but ambiguous), each naming the YAML file, the segment and the field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    segment: str
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        """`<yaml file>: segment '<name>': <field path>: <message>`, as the dbt compiler says it."""
        return f"{self.file}: segment '{self.segment}': {self.path}: {self.message}"


def shown(value: Any) -> str:
    """A value as the messages quote it: JSON with its characters as written, cut at 80."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)[:80]
