"""Each dbt invocation of a Dagster run gets a target folder of its own, seeded with the prepared
partial-parse state."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration import manifest


@pytest.fixture
def target_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(manifest, "TARGET_DIR", tmp_path)
    return tmp_path


def test_each_invocation_gets_its_own_folder_with_the_prepared_state(target_dir: Path):
    (target_dir / manifest.PARTIAL_PARSE).write_bytes(b"prepared state")
    first = manifest.seeded_target("warehouse_models-1a2b3c4d")
    second = manifest.seeded_target("warehouse_models-1a2b3c4d")
    assert first != second and first.parent == second.parent == target_dir
    assert first.name.startswith("warehouse_models-1a2b3c4d-")
    assert (first / manifest.PARTIAL_PARSE).read_bytes() == b"prepared state"
    assert (second / manifest.PARTIAL_PARSE).read_bytes() == b"prepared state"


def test_without_a_prepared_state_the_folder_is_empty_and_dbt_parses(target_dir: Path):
    assert list(manifest.seeded_target("export_models-1a2b3c4d").iterdir()) == []
