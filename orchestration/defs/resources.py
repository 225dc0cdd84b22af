"""Resources, configured from the same environment variables as profiles.yml and the CLI."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from dagster import ConfigurableResource

from orchestration.defs.project import dbt_resource
from orchestration.paths import PROJECT_DIR
from orchestration.publish.location import publish_dir_setting
from orchestration.quality.command import check_time
from orchestration.report.command import report_path_setting
from orchestration.sync.config import DestinationConfig, load_config
from orchestration.warehouse import DEFAULT_RAW_PATH, warehouse_path

# DuckDB has a single writer: every op that writes the warehouse takes a slot of this pool, and
# dagster.yaml gives pools one slot, so two runs never write at once.
WAREHOUSE_POOL = "duckdb_warehouse"


class WarehouseResource(ConfigurableResource):
    """The DuckDB file dbt builds (env AUDIENCE_DUCKDB_PATH) and the time freshness checks are
    measured at (env AUDIENCE_CHECK_NOW, ISO UTC; empty: now). Relative paths are read from the
    dbt project folder, where dbt runs."""

    duckdb_path: str
    check_now: str = ""

    @property
    def path(self) -> Path:
        return PROJECT_DIR / self.duckdb_path

    def now(self) -> datetime.datetime | None:
        return check_time(self.check_now)


class RawDataResource(ConfigurableResource):
    """Where raw files land: Parquet, CSV or JSON lines below <raw_path>/<table>/ (env
    AUDIENCE_RAW_PATH, relative to the dbt project folder as for dbt)."""

    raw_path: str

    @property
    def path(self) -> Path:
        return PROJECT_DIR / self.raw_path


class PublishResource(ConfigurableResource):
    """Where the published copy goes (env AUDIENCE_PUBLISH_PATH, relative to the dbt project
    folder)."""

    publish_path: str

    @property
    def path(self) -> Path:
        return PROJECT_DIR / self.publish_path


class ReportResource(ConfigurableResource):
    """Where the audience report is written (env AUDIENCE_REPORT_PATH, relative to the dbt
    project folder)."""

    report_path: str

    @property
    def path(self) -> Path:
        return PROJECT_DIR / self.report_path


class SyncConfigResource(ConfigurableResource):
    """The sync configuration file (env AUDIENCE_SYNC_CONFIG, relative to the dbt project
    folder; empty: the shipped orchestration/sync/destinations.yml). Credentials stay in the
    environment variables it names."""

    config_path: str = ""

    def load(self) -> dict[str, DestinationConfig]:
        return load_config(PROJECT_DIR / self.config_path if self.config_path else None)


def resources() -> dict:
    return {
        "dbt": dbt_resource(),
        "warehouse": WarehouseResource(
            duckdb_path=str(warehouse_path()),
            check_now=os.environ.get("AUDIENCE_CHECK_NOW", ""),
        ),
        "raw_data": RawDataResource(raw_path=os.environ.get("AUDIENCE_RAW_PATH", DEFAULT_RAW_PATH)),
        "publishing": PublishResource(publish_path=str(publish_dir_setting().value)),
        "report": ReportResource(report_path=str(report_path_setting().value)),
        "sync_config": SyncConfigResource(config_path=os.environ.get("AUDIENCE_SYNC_CONFIG", "")),
    }
