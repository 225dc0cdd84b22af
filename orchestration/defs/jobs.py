"""The refresh jobs. Hourly: every model but the retrained ones (clusters and CLV keep their
last fit), incremental models process only new events. Nightly: everything, incremental models
rebuilt from raw data (history models keep their history) and the models retrained. Both carry
the quality gates, since a job includes the checks of the assets it selects."""

from __future__ import annotations

from dagster import AssetSelection, RunConfig, define_asset_job
from dagster_dbt import build_dbt_asset_selection

from orchestration.defs.dbt_assets import DBT_ASSETS, DbtBuildConfig, warehouse_models

RETRAIN_SELECT = "tag:retrain"


def full_refresh_config() -> RunConfig:
    return RunConfig(ops={a.op.name: DbtBuildConfig(full_refresh=True) for a in DBT_ASSETS})


hourly_refresh_job = define_asset_job(
    name="hourly_refresh",
    description="Incremental refresh of the event-derived models, quality gates, exports.",
    selection=AssetSelection.assets(*DBT_ASSETS)
    - build_dbt_asset_selection([warehouse_models], dbt_select=RETRAIN_SELECT),
    tags={"audience/refresh": "hourly"},
)

nightly_refresh_job = define_asset_job(
    name="nightly_refresh",
    description="Full refresh from raw data, models retrained, quality gates, exports.",
    selection=AssetSelection.assets(*DBT_ASSETS),
    config=full_refresh_config(),
    tags={"audience/refresh": "nightly"},
)

REFRESH_JOBS = [hourly_refresh_job, nightly_refresh_job]
