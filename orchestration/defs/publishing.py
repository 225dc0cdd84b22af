"""The published copy as an asset: after each refresh's dbt build, once the warehouse's quality
gate passed, the tables readers use (analytics, segments, reference, serving) are copied to a
read-only copy that BI tools and the lookup API read while the next build writes. It depends on
every table the gate checks, as the exports do, so a blocking failure holds it back."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from orchestration.defs.project import manifest
from orchestration.defs.quality_checks import checked_assets
from orchestration.defs.resources import WAREHOUSE_POOL, PublishResource, WarehouseResource
from orchestration.defs.translator import relation_key
from orchestration.publish import publish
from orchestration.publish.copy import PUBLISHED_SCHEMAS
from orchestration.quality.gates import GATES, WAREHOUSE_GATE

PUBLISHED_COPY = AssetKey(["published", "copy"])


def published_models() -> list[AssetKey]:
    return sorted(
        relation_key(node)
        for node in manifest()["nodes"].values()
        if node["resource_type"] in ("model", "seed")
        and node["config"].get("materialized") != "ephemeral"
        and node["config"].get("schema") in PUBLISHED_SCHEMAS
    )


@asset(
    key=PUBLISHED_COPY,
    deps=sorted(set(published_models()) | set(checked_assets(GATES[WAREHOUSE_GATE]))),
    group_name="serving",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    description="Read-only copy of the analytics, segments, reference and serving schemas.",
)
def published_copy(
    context: AssetExecutionContext, warehouse: WarehouseResource, publishing: PublishResource
) -> MaterializeResult:
    published = publish(warehouse.path, publishing.path)
    tables = published.manifest["tables"]
    context.log.info(f"published version {published.version}")
    return MaterializeResult(
        metadata={
            "version": published.version,
            "tables": len(tables),
            "rows": sum(tables.values()),
            "seconds": published.manifest["duration_seconds"],
        }
    )
