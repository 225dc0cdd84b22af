"""The event tables of a generated chunk written in a vendor's warehouse layout.

Every layout is written from the same simulated world: the chunk's `tracks`, `pages` and
`identifies` in the json_properties layout (the sources YAML) are rewritten into the vendor's
tables. A track whose `properties` is not a JSON object (the malformed_properties defect) cannot
be written where properties are columns, so the other layouts leave it out; the manifest counts
such rows as not carried.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from ..contract import Contract
from .snowplow import snowplow_atomic
from .warehouse import rudderstack_warehouse, segment_warehouse

EVENT_TABLES = ("tracks", "pages", "identifies")
Converter = Callable[[dict[str, pa.Table], Contract], tuple[dict[str, pa.Table], int]]
LAYOUTS: dict[str, Converter | None] = {
    "json_properties": None,
    "segment_warehouse": segment_warehouse,
    "rudderstack_warehouse": rudderstack_warehouse,
    "snowplow_atomic": snowplow_atomic,
}


def to_layout(
    layout: str, tables: dict[str, pa.Table], contract: Contract
) -> tuple[dict[str, pa.Table], int]:
    """The chunk's tables with its event tables in `layout`, and the tracks not carried."""
    convert = LAYOUTS[layout]
    if convert is None:
        return tables, 0
    events, not_carried = convert({t: tables[t] for t in EVENT_TABLES}, contract)
    others = {t: data for t, data in tables.items() if t not in EVENT_TABLES}
    return others | events, not_carried
