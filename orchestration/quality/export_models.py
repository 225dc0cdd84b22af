"""The export models the exports suite checks, one by one: every model
models/activation/exports/exp_<destination> of the dbt project (tagged `export`), with the consent
purpose seeds/destinations.csv gives its destination. A new export model is checked with no edit
to the suites."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

EXPORTS_FOLDER = Path("models") / "activation" / "exports"
DESTINATIONS_SEED = Path("seeds") / "destinations.csv"


@dataclass(frozen=True)
class ExportModel:
    destination: str
    consent_purpose: str
    path: Path


def export_models(project_dir: Path) -> list[ExportModel]:
    """The export models of the project under `project_dir`, by destination; a ValueError naming
    the file when there is none, or when a model's destination has no consent purpose."""
    folder = project_dir / EXPORTS_FOLDER
    paths = sorted(p for p in folder.glob("exp_*") if p.suffix in (".sql", ".py"))
    if not paths:
        raise ValueError(f"{folder}: expected export models exp_<destination>.sql, found none")
    seed = project_dir / DESTINATIONS_SEED
    with seed.open(newline="") as rows:
        purposes = {row["destination"]: row["consent_purpose"] for row in csv.DictReader(rows)}
    models = []
    for path in paths:
        destination = path.stem.removeprefix("exp_")
        if not purposes.get(destination):
            raise ValueError(
                f"{path}: expected a row with destination {destination} and its consent_purpose "
                f"in {seed}, so that its export can be checked"
            )
        models.append(ExportModel(destination, purposes[destination], path))
    return models
