"""Where the raw suite reads the raw tables, as dbt is configured to read them (the same
environment variables): the views raw.<table> of raw files (AUDIENCE_RAW_FORMAT=files, the
default), or <AUDIENCE_RAW_SCHEMA>.<table> for warehouse tables. In an event layout other than
json_properties (AUDIENCE_EVENT_LAYOUT) the event tables are the vendor's: checks of their rows
read the base models, which hold one row per raw row loaded with the same identifier and time
columns, and the contract's column checks do not apply (the layout hands staging the declared
columns whatever the vendor's tables hold)."""

from __future__ import annotations

import dataclasses

from orchestration.quality.suites import Check, Suite
from orchestration.raw_layout import event_layout, raw_schema, reads_tables
from orchestration.relations import relation, schema

EVENT_TABLES = ("tracks", "pages", "identifies")


def raw_source(table: str, layout: str) -> str:
    """The relation a check of the raw table `table` (`raw.<name>`) reads."""
    name = table.removeprefix("raw.")
    if layout != "json_properties" and name in EVENT_TABLES:
        return str(relation(f"base_segment__{name}"))
    if reads_tables():
        return f"{raw_schema()}.{name}"
    return table


def adapt(suites: list[Suite]) -> tuple[list[Suite], list[Check]]:
    """The suites with their checks of raw tables reading where the raw data is, and the checks
    that do not apply in the configured layout (left out)."""
    layout = event_layout()
    adapted, skipped = [], []
    for suite in suites:
        checks = []
        for check in suite.checks:
            if not check.table.startswith("raw.") or check.source != check.table:
                checks.append(check)
                continue
            source = raw_source(check.table, layout)
            if check.frame == "columns" and source.startswith(f"{schema('staging')}."):
                skipped.append(check)
            else:
                checks.append(dataclasses.replace(check, source=source))
        adapted.append(dataclasses.replace(suite, checks=checks))
    return adapted, skipped
