"""The Dagster code location: `dagster dev -m orchestration.definitions` (or `make dev`)."""

from dagster import Definitions

from orchestration.defs.dbt_assets import DBT_ASSETS, RAW_TABLES
from orchestration.defs.jobs import JOBS
from orchestration.defs.publishing import published_copy
from orchestration.defs.quality_checks import quality_checks
from orchestration.defs.reporting import audience_report
from orchestration.defs.resources import resources
from orchestration.defs.schedules import SCHEDULES
from orchestration.defs.sensors import SENSORS
from orchestration.defs.syncs import SYNC_ASSETS


def assemble(resource_defs: dict) -> Definitions:
    return Definitions(
        assets=[*RAW_TABLES, *DBT_ASSETS, published_copy, audience_report, *SYNC_ASSETS],
        asset_checks=quality_checks(),
        jobs=JOBS,
        schedules=SCHEDULES,
        sensors=SENSORS,
        resources=resource_defs,
    )


defs = assemble(resources())
