"""The audience report as an asset: after each refresh's published copy, the HTML report of it
(orchestration/report) is written where AUDIENCE_REPORT_PATH says. It reads the warehouse's gate
and sync history too, so it takes its turn at the warehouse's pool."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from orchestration.defs.publishing import PUBLISHED_COPY
from orchestration.defs.resources import (
    WAREHOUSE_POOL,
    PublishResource,
    ReportResource,
    WarehouseResource,
)
from orchestration.report import write_report

AUDIENCE_REPORT = AssetKey(["reporting", "audience_report"])


@asset(
    key=AUDIENCE_REPORT,
    deps=[PUBLISHED_COPY],
    group_name="reporting",
    kinds={"html", "plotly"},
    pool=WAREHOUSE_POOL,
    description="The audience report for marketers: one self-contained HTML file of charts.",
)
def audience_report(
    context: AssetExecutionContext,
    warehouse: WarehouseResource,
    publishing: PublishResource,
    report: ReportResource,
) -> MaterializeResult:
    data = write_report(publishing.path, warehouse.path, report.path)
    context.log.info(f"report of published version {data.version} written to {report.path}")
    return MaterializeResult(
        metadata={
            "path": str(report.path),
            "published_version": data.version,
            "bytes": report.path.stat().st_size,
            "operations_note": data.operations_note or "",
        }
    )
