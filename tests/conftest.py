"""Shared fixtures: generated raw data and a dbt build of it, in a temporary folder."""

from __future__ import annotations

import json
import os

import pytest

from tests.support import BuiltWarehouse, generate_data, run_dbt

# what the Makefile exports for generated data, for pytest run on its own
os.environ.setdefault("AUDIENCE_PII_SALT", "generated-data-only-salt")


@pytest.fixture(scope="session")
def defective_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """2,000 users over 21 days with 5% of rows defective, built by `dbt build`."""
    data_dir = tmp_path_factory.mktemp("defective")
    manifest = generate_data(data_dir, users=2000, days=21, seed=11, defect_rate=0.05)
    assert manifest == json.loads((data_dir / "manifest.json").read_text())
    duckdb_path = data_dir / "audience.duckdb"
    result = run_dbt(["build"], data_dir / "raw", duckdb_path)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return BuiltWarehouse(data_dir, duckdb_path, manifest)
