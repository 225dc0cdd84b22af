"""The dbt project as Dagster sees it: where it lives, the dbt it runs, and the manifest its
assets come from."""

from __future__ import annotations

import json
import shutil
import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from orchestration.segments.command import segments_report

PROJECT_DIR = Path(__file__).resolve().parents[2]
# the dbt installed beside this Python (the venv's), else the one on PATH
_VENV_DBT = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_VENV_DBT) if _VENV_DBT.exists() else (shutil.which("dbt") or "dbt")

# A target folder of its own, so Dagster's parses never overwrite a hand-run dbt's artifacts.
dbt_project = DbtProject(
    project_dir=PROJECT_DIR,
    profiles_dir=PROJECT_DIR,
    target_path=Path("target") / "dagster",
)


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


class SegmentDefinitionsInvalid(Exception):
    """The segment definitions have errors (`audience check-segments`): no manifest is made of
    them, since a reference cycle would only surface as a cycle of the asset graph."""


def parse() -> None:
    """Write the manifest: `dagster dev` re-parses on every load, so edits to the project show
    up on reload; elsewhere it is parsed once, when missing. The segment definitions are checked
    first."""
    if using_dagster_dev() or not dbt_project.manifest_path.exists():
        lines, errors, _ = segments_report(PROJECT_DIR)
        if errors:
            raise SegmentDefinitionsInvalid("\n".join(lines))
        dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()


@cache
def manifest() -> dict:
    return json.loads(dbt_project.manifest_path.read_text())


parse()
