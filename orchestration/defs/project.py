"""The dbt project as Dagster sees it: where it lives, the dbt it runs, and the manifest its
assets come from."""

from __future__ import annotations

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.manifest import DBT_EXECUTABLE, TARGET_PATH, manifest, parse
from orchestration.paths import PROJECT_DIR

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR, target_path=TARGET_PATH)


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


__all__ = ["dbt_project", "dbt_resource", "manifest"]

parse()
