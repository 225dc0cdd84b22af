"""Helpers for tests that generate data and run dbt as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")


@dataclass(frozen=True)
class BuiltWarehouse:
    data_dir: Path
    duckdb_path: Path
    manifest: dict

    @property
    def raw_path(self) -> Path:
        return self.data_dir / "raw"


def dbt_env(raw_path: Path, duckdb_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "AUDIENCE_TARGET": "ci",
        "AUDIENCE_RAW_PATH": str(raw_path),
        "AUDIENCE_DUCKDB_PATH": str(duckdb_path),
    }


def run_dbt(
    args: list[str],
    raw_path: Path,
    duckdb_path: Path,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Run dbt as a user would, in its own process, against the given raw data and warehouse."""
    return subprocess.run(
        [str(DBT), *args, "--target-path", str(duckdb_path.parent / "target")],
        cwd=PROJECT_DIR,
        env={**dbt_env(raw_path, duckdb_path), **(extra_env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def generate_data(out_dir: Path, **options) -> dict:
    from orchestration.generator import generate

    return generate(out_dir, **options)
