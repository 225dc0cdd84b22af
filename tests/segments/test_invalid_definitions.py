"""Invalid segment definitions fail the build with a message naming the YAML file, the
segment, the field and what was expected: every case of invalid_cases.py is one model of a
project copy, all built in one `dbt run` (which reports each failing node and goes on)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.segments.invalid_cases import CASES
from tests.support import PROJECT_DIR, BuiltWarehouse, run_dbt

pytestmark = pytest.mark.slow

INVALID_DIR = Path("models/activation/segments/invalid")
YAML_FILE = INVALID_DIR / "_invalid__segments.yml"


def copy_with_invalid_segments(project: Path) -> None:
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_DIR / name, project / name)
    for folder in ("macros", "models", "seeds"):
        shutil.copytree(PROJECT_DIR / folder, project / folder)
    (project / INVALID_DIR).mkdir()
    for case in CASES:
        (project / INVALID_DIR / f"segment_{case['id']}.sql").write_text(
            "{{ audience.segment_members() }}\n"
        )
    models = [
        {
            "name": f"segment_{case['id']}",
            "description": "An invalid definition.",
            "config": {"meta": {"segment": case["definition"]}},
        }
        for case in CASES
    ]
    (project / YAML_FILE).write_text(yaml.safe_dump({"version": 2, "models": models}))


@pytest.fixture(scope="module")
def compile_output(defective_warehouse: BuiltWarehouse, tmp_path_factory) -> str:
    project = tmp_path_factory.mktemp("invalid-segments")
    copy_with_invalid_segments(project)
    duckdb_path = project / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    result = run_dbt(
        ["run", "--select", f"path:{INVALID_DIR}"],
        defective_warehouse.raw_path,
        duckdb_path,
        project_dir=project,
    )
    assert result.returncode != 0, "invalid segments compiled"
    # dbt wraps long messages; the checks read them unwrapped
    return re.sub(r"\s*\n\s*", " ", result.stdout)


def test_every_invalid_segment_fails(compile_output: str):
    failed = set(re.findall(r"Compilation Error in model segment_(\w+)", compile_output))
    assert failed == {case["id"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_the_message_names_file_segment_field_and_expectation(compile_output: str, case: dict):
    expected = f"{YAML_FILE}: segment '{case['id']}': {case['error']}"
    assert expected in compile_output
