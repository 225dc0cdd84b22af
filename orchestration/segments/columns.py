"""The columns a rule may name, with their declared data types: the YAML of the three inputs
of every segment (the same `data_type`s the dbt compiler reads from the graph)."""

from __future__ import annotations

from pathlib import Path

import yaml

from orchestration.segments.definitions import YAML_LOADER

# rule input -> the model segment_members reads it from (macro _segment_input_model)
INPUT_MODELS = {
    "users": "dim_persons",
    "events": "int_events_mapped_to_persons",
    "orders": "int_completed_orders_filtered",
}

ColumnTypes = dict[str, dict[str, str | None]]  # input -> column -> data_type (None: undeclared)


def input_columns(project_dir: Path) -> ColumnTypes:
    """The documented columns of each input model, in YAML order, with their data_type."""
    wanted = {model: name for name, model in INPUT_MODELS.items()}
    columns: ColumnTypes = {}
    for path in sorted((project_dir / "models").rglob("*.yml")):
        text = path.read_text()
        if not any(f"name: {model}\n" in text for model in wanted):
            continue
        for model in (yaml.load(text, Loader=YAML_LOADER) or {}).get("models") or []:
            if model.get("name") in wanted:
                columns[wanted[model["name"]]] = {
                    column["name"]: column.get("data_type") for column in model.get("columns") or []
                }
    missing = sorted(set(INPUT_MODELS) - set(columns))
    if missing:
        raise FileNotFoundError(
            f"{project_dir / 'models'}: expected the YAML of "
            + ", ".join(INPUT_MODELS[name] for name in missing)
            + ", found none"
        )
    return columns
