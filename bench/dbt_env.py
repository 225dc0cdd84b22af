"""The environment a benchmark runs dbt and the audience CLI with: the project's dev target on
a warehouse and raw data of its own, with the generated data's salt."""

from __future__ import annotations

import os
from pathlib import Path

SALT = "generated-data-only-salt"


def dbt_env(project: Path, raw: Path, warehouse: Path, **settings: str) -> dict[str, str]:
    """This process's environment, the project's profile, the dev target on `warehouse` with raw
    data in `raw`, and `settings` on top (e.g. AUDIENCE_CHECK_NOW, or another AUDIENCE_TARGET)."""
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(project),
        "AUDIENCE_TARGET": "dev",
        "AUDIENCE_PII_SALT": SALT,
        "AUDIENCE_RAW_PATH": str(raw),
        "AUDIENCE_DUCKDB_PATH": str(warehouse),
        **settings,
    }
