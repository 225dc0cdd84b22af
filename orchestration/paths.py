"""Where the dbt project this package belongs to lives: the repository root, holding
dbt_project.yml, models/, seeds/ and expectations/. Every module that reads a project file
starts from PROJECT_DIR."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DBT_PROJECT_FILE = PROJECT_DIR / "dbt_project.yml"
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
SEEDS_DIR = PROJECT_DIR / "seeds"


def dbt_project_dir() -> Path:
    """The project a `dbt` started from this process builds: DBT_PROJECT_DIR, which dbt reads,
    else the current directory."""
    return Path(os.environ.get("DBT_PROJECT_DIR") or Path.cwd())
