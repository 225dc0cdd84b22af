"""The dbt project as two assets definitions, so the quality gates can sit between them: the
warehouse (seeds, staging, identity to segments) and the exports. dbt tests are asset checks of
the models they test; raw tables are external assets."""

from collections.abc import Iterator

from dagster import AssetExecutionContext, AssetSpec, Config
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_build import PRODUCTION_EXCLUSIONS
from orchestration.defs.project import dbt_project, manifest
from orchestration.defs.quality_checks import checked_assets
from orchestration.defs.resources import WAREHOUSE_POOL
from orchestration.defs.translator import AudienceTranslator, GatedTranslator, relation_key
from orchestration.manifest import seeded_target
from orchestration.quality.gates import GATES, WAREHOUSE_GATE

EXPORTS_SELECT = "tag:export"


class DbtBuildConfig(Config):
    """full_refresh rebuilds the incremental models from raw data, except those that keep
    history (stable person ids, membership history, sizes, RFM snapshots: var protect_history)."""

    full_refresh: bool = False


def _build(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig) -> Iterator:
    args = ["build", *PRODUCTION_EXCLUSIONS]
    if config.full_refresh:
        args += ["--full-refresh", "--vars", '{"protect_history": true}']
    target = seeded_target(f"{context.op_execution_context.op.name}-{context.run.run_id[:8]}")
    yield from dbt.cli(args, context=context, target_path=target).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    exclude=EXPORTS_SELECT,
    dagster_dbt_translator=AudienceTranslator(),
    pool=WAREHOUSE_POOL,
)
def warehouse_models(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    yield from _build(context, dbt, config)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select=EXPORTS_SELECT,
    dagster_dbt_translator=GatedTranslator(checked_assets(GATES[WAREHOUSE_GATE])),
    pool=WAREHOUSE_POOL,
)
def export_models(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    yield from _build(context, dbt, config)


DBT_ASSETS = [warehouse_models, export_models]

# The raw tables dbt reads: external assets, landed by the event pipeline and the CRM exports.
RAW_TABLES = [
    AssetSpec(
        key=relation_key(source),
        group_name="raw",
        description=source["description"] or f"Raw {source['source_name']} table {source['name']}.",
    )
    for source in manifest()["sources"].values()
]
