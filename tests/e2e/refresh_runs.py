"""`audience refresh` run as a user runs it, on a copy of a built warehouse."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.support import BuiltWarehouse, seeded_env

AUDIENCE = Path(sys.executable).with_name("audience")


def copy_of(warehouse: BuiltWarehouse, folder: Path) -> Path:
    path = folder / "audience.duckdb"
    shutil.copy(warehouse.duckdb_path, path)
    return path


def data_time(path: Path) -> datetime.datetime:
    """An hour after the newest generated event arrived: the data is fresh then."""
    with duckdb.connect(str(path), read_only=True) as con:
        newest = con.execute("select max(epoch(received_at)) from raw.tracks").fetchall()[0][0]
    return datetime.datetime.fromtimestamp(newest, datetime.UTC).replace(tzinfo=None) + (
        datetime.timedelta(hours=1)
    )


def refresh_command(path: Path, now: datetime.datetime, build: bool = False) -> list[str]:
    """`audience refresh` of the warehouse at `path`, publishing next to it (published/)."""
    return [
        *(str(AUDIENCE), "refresh", "--now", now.isoformat()),
        *(() if build else ("--no-build",)),
        *("--publish-dir", str(path.parent / "published")),
    ]


def run_audience(
    warehouse: BuiltWarehouse, path: Path, command: list[str]
) -> subprocess.CompletedProcess:
    """An `audience` command on the warehouse at `path`, reading the built warehouse's raw data,
    run in the warehouse's folder with the project named by DBT_PROJECT_DIR (tests.support's
    seeded_env: dbt parses less)."""
    return subprocess.run(
        command,
        cwd=path.parent,
        env=seeded_env(warehouse.raw_path, path),
        capture_output=True,
        text=True,
        check=False,
    )


def refresh(
    warehouse: BuiltWarehouse, path: Path, now: datetime.datetime, build: bool = False
) -> subprocess.CompletedProcess:
    return run_audience(warehouse, path, refresh_command(path, now, build))
