"""A fresh copy of the project, as a clone holds it, with `make demo` run in it as a new user
runs it: nothing set in the environment but the venv on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import PROJECT_DIR

VENV = Path(sys.executable).parent.parent
# small, so the whole demo runs in a few minutes; every segment still has members
DEMO_USERS = 1000
# the demo's backfill over its last three days, not the month: each day costs a build
DEMO_BACKFILL_FROM = "2026-10-28"


@dataclass(frozen=True)
class DemoClone:
    root: Path
    env: dict[str, str]

    @property
    def dagster_home(self) -> Path:
        return self.root / "data" / "demo" / "dagster"

    @property
    def warehouse(self) -> Path:
        return self.root / "data" / "demo" / "audience.duckdb"


def clean_env(root: Path) -> dict[str, str]:
    """What a new user's shell holds: the venv on PATH, nothing of the project set. The venv's
    editable install points at this checkout, so PYTHONPATH makes the copy's code the one run."""
    return {
        "HOME": os.environ.get("HOME", str(root)),
        "PATH": f"{VENV / 'bin'}:/usr/bin:/bin",
        "PYTHONPATH": str(root),
        "LANG": "C.UTF-8",
    }


def copy_checkout(target: Path) -> None:
    """The files a clone of the working tree would hold: tracked and new, never ignored ones."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_DIR,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT_DIR / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.fixture(scope="session")
def demo_clone(tmp_path_factory: pytest.TempPathFactory) -> DemoClone:
    root = tmp_path_factory.mktemp("clone") / "audience"
    copy_checkout(root)
    env = clean_env(root)
    # the venv is this one (`-o install`: never reinstalled from the copy)
    result = subprocess.run(
        [
            *("make", "-o", "install", "demo", f"VENV={VENV}", f"DEMO_USERS={DEMO_USERS}"),
            f"DEMO_BACKFILL_FROM={DEMO_BACKFILL_FROM}",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    log = root / "data" / "demo" / "dagster" / "demo.log"
    detail = log.read_text()[-3000:] if log.exists() else ""
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:] + detail
    return DemoClone(root, env)
