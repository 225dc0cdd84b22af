"""Relation names from the dbt manifest, so Python names a model as dbt built it: the schema
in the manifest is the real one (custom schema names, AUDIENCE_SCHEMA_PREFIX applied), the
name its alias. Python code asks for `relation("dim_persons")`, never writes
"analytics.dim_persons".

Without a manifest argument the project's manifest is read (orchestration/manifest.py), parsed
first when it is missing or older than the project's files or settings."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

from orchestration.manifest import manifest as project_manifest

Manifest = Mapping[str, Any]
RELATION_TYPES = ("model", "seed", "snapshot")


class Relation(NamedTuple):
    schema: str
    name: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}"


def relations(manifest: Manifest) -> dict[str, Relation]:
    """dbt model, seed and snapshot name -> the relation dbt builds it as."""
    return {
        node["name"]: Relation(node["schema"], node.get("alias") or node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] in RELATION_TYPES
    }


def deprecated_relations(manifest: Manifest | None = None) -> set[Relation]:
    """The views under the old names of renamed tables (models/deprecated/), kept for one
    release."""
    found = manifest if manifest is not None else project_manifest()
    return {
        Relation(node["schema"], node.get("alias") or node["name"])
        for node in found["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/deprecated/")
    }


def source_relations(manifest: Manifest) -> dict[str, Relation]:
    """`<source>.<table>` -> the relation dbt reads it from."""
    return {
        f"{source['source_name']}.{source['name']}": Relation(
            source["schema"], source.get("identifier") or source["name"]
        )
        for source in manifest["sources"].values()
    }


def schemas(manifest: Manifest) -> dict[str, str]:
    """Custom schema name (`+schema:` in dbt_project.yml, e.g. `staging`) -> the schema dbt
    builds those models in."""
    return {
        node["config"]["schema"]: node["schema"]
        for node in manifest["nodes"].values()
        if node["resource_type"] in RELATION_TYPES and node["config"].get("schema")
    }


@cache
def _project_relations() -> tuple[dict[str, Relation], dict[str, Relation], dict[str, str]]:
    found = project_manifest()
    return relations(found), source_relations(found), schemas(found)


def relation(name: str, manifest: Manifest | None = None) -> Relation:
    """The relation of the dbt model, seed or snapshot `name` (str() gives `schema.name`)."""
    found = relations(manifest) if manifest is not None else _project_relations()[0]
    if name not in found:
        raise KeyError(f"{name!r}: not a model, seed or snapshot of the dbt project")
    return found[name]


def source(name: str, manifest: Manifest | None = None) -> Relation:
    """The relation of the dbt source table `name` (`<source>.<table>`, e.g. `crm.orders`)."""
    found = source_relations(manifest) if manifest is not None else _project_relations()[1]
    if name not in found:
        raise KeyError(f"{name!r}: not a source table of the dbt project (<source>.<table>)")
    return found[name]


def schema(custom: str, manifest: Manifest | None = None) -> str:
    """The schema dbt builds the models of custom schema `custom` (`staging`, `analytics`, ...)
    in."""
    found = schemas(manifest) if manifest is not None else _project_relations()[2]
    if custom not in found:
        raise KeyError(f"{custom!r}: no model of the dbt project has this custom schema")
    return found[custom]
