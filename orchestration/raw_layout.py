"""How the raw data is configured for dbt, read from the same environment variables: the
event layout (AUDIENCE_EVENT_LAYOUT, var event_layout) and whether raw data is files or
warehouse tables (AUDIENCE_RAW_FORMAT, AUDIENCE_RAW_SCHEMA)."""

from __future__ import annotations

import os

LAYOUTS = ("json_properties", "segment_warehouse", "rudderstack_warehouse", "snowplow_atomic")


class LayoutError(ValueError):
    """AUDIENCE_EVENT_LAYOUT names no layout."""


def event_layout() -> str:
    """AUDIENCE_EVENT_LAYOUT, checked as dbt checks var event_layout."""
    layout = os.environ.get("AUDIENCE_EVENT_LAYOUT", "json_properties")
    if layout not in LAYOUTS:
        raise LayoutError(
            f"AUDIENCE_EVENT_LAYOUT: expected one of {', '.join(LAYOUTS)}, got {layout!r}"
        )
    return layout


def reads_tables() -> bool:
    """Whether raw data is read from warehouse tables rather than files."""
    return os.environ.get("AUDIENCE_RAW_FORMAT", "files") == "table"


def raw_schema() -> str:
    return os.environ.get("AUDIENCE_RAW_SCHEMA", "raw")
