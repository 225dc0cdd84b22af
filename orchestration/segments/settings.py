"""The settings around a rule, across the segments of the project: priorities within a priority
group, destinations (rows of seeds/destinations.csv), tags and labels."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from orchestration.segments.definitions import Segment
from orchestration.segments.findings import Finding

DESTINATIONS_SEED = Path("seeds") / "destinations.csv"


def known_destinations(project_dir: Path) -> set[str] | None:
    """The destinations segments may name, or None when the project has no such seed."""
    path = project_dir / DESTINATIONS_SEED
    if not path.exists():
        return None
    with path.open(newline="") as rows:
        return {row["destination"] for row in csv.DictReader(rows)}


def settings_findings(segments: list[Segment], destinations: set[str] | None) -> Iterator[Finding]:
    """Findings of the segments whose definitions conform to the schema (`segments`)."""
    priorities: dict[tuple[str, int], str] = {}
    labels: dict[str, str] = {}
    for segment in segments:
        definition = segment.definition
        group, priority = definition.get("priority_group"), definition.get("priority")
        if group is not None and priority is None:
            yield segment.finding(
                "segment.priority", "expected an integer >= 1 since priority_group is set"
            )
        elif group is None and priority is not None:
            yield segment.finding(
                "segment.priority",
                "priority without priority_group has no effect: expected a priority_group too",
                "warning",
            )
        elif group is not None:
            other = priorities.setdefault((group, priority), segment.name)
            if other != segment.name:
                yield segment.finding(
                    "segment.priority",
                    f"expected a priority no other segment of priority_group {group} has,"
                    f" got {priority} (also segment_{other})",
                )
        for field in ("destinations", "tags"):
            items = definition.get(field, [])
            for item in dict.fromkeys(item for item in items if items.count(item) > 1):
                yield segment.finding(
                    f"segment.{field}",
                    f"expected each value once, got '{item}' more than once",
                    "warning",
                )
        for index, destination in enumerate(definition.get("destinations", [])):
            if destinations is not None and destination not in destinations:
                yield segment.finding(
                    f"segment.destinations[{index}]",
                    f"expected a destination of {DESTINATIONS_SEED} ("
                    + ", ".join(sorted(destinations))
                    + f"), got '{destination}'",
                )
        other = labels.setdefault(definition["label"].strip().lower(), segment.name)
        if other != segment.name:
            yield segment.finding(
                "segment.label",
                f"segment_{other} has the same label: expected a label of its own, since"
                " destinations show the label",
                "warning",
            )
