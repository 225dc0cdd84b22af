"""The jobs. hourly_refresh: every model but the retrained ones (clusters and CLV keep their
last fit), incremental models process only new events. nightly_refresh: everything, incremental
models rebuilt from raw data (history models keep their history) and the models retrained. Both
carry the quality gates, since a job includes the checks of the assets it selects, and both end
with the published copy readers use and the audience report of it. Their steps run one after the
other in the run's own process (in_process_executor): they take turns at the one writer's pool
anyway, and a process per step would load the code location again for each step.
sync_audiences: the sync assets, started after each successful refresh and when a segment's
membership changes (sensors)."""

from __future__ import annotations

from dagster import AssetSelection, RunConfig, define_asset_job, in_process_executor
from dagster_dbt import build_dbt_asset_selection

from orchestration.dbt_build import RETRAIN_SELECT
from orchestration.defs.dbt_assets import DBT_ASSETS, DbtBuildConfig, warehouse_models
from orchestration.defs.publishing import published_copy
from orchestration.defs.reporting import audience_report
from orchestration.defs.syncs import SYNC_GROUP


def full_refresh_config() -> RunConfig:
    return RunConfig(ops={a.op.name: DbtBuildConfig(full_refresh=True) for a in DBT_ASSETS})


hourly_refresh_job = define_asset_job(
    name="hourly_refresh",
    description=(
        "Incremental refresh of the event-derived models, gates, exports, published copy, report."
    ),
    selection=AssetSelection.assets(*DBT_ASSETS, published_copy, audience_report)
    - build_dbt_asset_selection([warehouse_models], dbt_select=RETRAIN_SELECT),
    tags={"audience/refresh": "hourly"},
    executor_def=in_process_executor,
)

nightly_refresh_job = define_asset_job(
    name="nightly_refresh",
    description=(
        "Full refresh from raw data, models retrained, gates, exports, published copy, report."
    ),
    selection=AssetSelection.assets(*DBT_ASSETS, published_copy, audience_report),
    config=full_refresh_config(),
    tags={"audience/refresh": "nightly"},
    executor_def=in_process_executor,
)

sync_audiences_job = define_asset_job(
    name="sync_audiences",
    description="Every segment's audience synced to its destinations (only the differences).",
    selection=AssetSelection.groups(SYNC_GROUP),
    tags={"audience/sync": "all"},
)

REFRESH_JOBS = [hourly_refresh_job, nightly_refresh_job]
JOBS = [*REFRESH_JOBS, sync_audiences_job]
