"""How dbt nodes become Dagster assets: keys are <schema>/<relation> as in the warehouse (raw
sources under raw/), groups are the project's layers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dagster import AssetKey, AssetSpec
from dagster_dbt import DagsterDbtTranslator, DbtProject

# the folder under models/<layer>/ (or the layer itself) -> the asset group it belongs to
GROUPS_BY_FOLDER = {
    "staging": "staging",
    "quality": "staging",
    "identity": "identity",
    "sessions": "profiles",
    "profiles": "profiles",
    "scores": "scores",
    "lifecycle": "scores",
    "clv": "scores",
    "clusters": "scores",
    "segments": "segments",
    "memberships": "segments",
    "experiments": "segments",
    "personalization": "segments",
    "calendar": "reporting",
    "cohorts": "reporting",
    "kpis": "reporting",
    "privacy": "privacy",
    "routing": "exports",
    "exports": "exports",
    "serving": "serving",
    "deprecated": "deprecated",
}


def relation_key(dbt_resource_props: Mapping[str, Any]) -> AssetKey:
    """raw/<table> for sources, <schema>/<name> for seeds and models."""
    if dbt_resource_props["resource_type"] == "source":
        return AssetKey(["raw", dbt_resource_props["name"]])
    return AssetKey([dbt_resource_props["schema"], dbt_resource_props["alias"]])


def layer_group(dbt_resource_props: Mapping[str, Any]) -> str:
    """The group of a dbt node from its path: models/<layer>[/<folder>]/..."""
    resource_type = dbt_resource_props["resource_type"]
    if resource_type == "source":
        return "raw"
    if resource_type == "seed":
        return "reference"
    layer, *folders = dbt_resource_props["fqn"][1:-1]
    for folder in [*folders, layer]:
        if folder in GROUPS_BY_FOLDER:
            return GROUPS_BY_FOLDER[folder]
    raise ValueError(
        f"{dbt_resource_props['original_file_path']}: no asset group for its folder: add the "
        f"folder to GROUPS_BY_FOLDER in orchestration/defs/translator.py"
    )


class AudienceTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        return relation_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return layer_group(dbt_resource_props)


class GatedTranslator(AudienceTranslator):
    """Export models also depend on the tables a quality gate checks (`gated`), though they do
    not read all of them: blocking checks hold back only the direct dependents of the asset
    they check, and a duplicated person in dim_persons or a broken raw table must stop every
    export."""

    def __init__(self, gated: Iterable[AssetKey]):
        super().__init__()
        self._gated = list(gated)

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id)
        if node is None or node["resource_type"] != "model":
            return spec
        return spec.merge_attributes(deps=[key for key in self._gated if key != spec.key])
