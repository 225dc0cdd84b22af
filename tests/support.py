"""Helpers for tests that generate data and run dbt as a user would."""

from __future__ import annotations

import atexit
import contextlib
import datetime
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from orchestration.manifest import PARTIAL_PARSE
from orchestration.paths import PROJECT_DIR

DBT = Path(sys.executable).with_name("dbt")
# what a copy of the project for one test leaves out: environments, data and build output
PROJECT_COPY_IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "data", "target", "logs", "__pycache__", "*.egg-info", ".pytest_cache",
    "bench", "deploy", "dbt_packages",
)  # fmt: skip


def copy_project(target: Path) -> Path:
    """A copy of the project a test may change or build artifacts in."""
    shutil.copytree(PROJECT_DIR, target, ignore=PROJECT_COPY_IGNORED)
    return target


@dataclass(frozen=True)
class BuiltWarehouse:
    data_dir: Path
    duckdb_path: Path
    manifest: dict

    @property
    def raw_path(self) -> Path:
        return self.data_dir / "raw"


# The defective generated data (5% bad rows) rejects many raw rows on purpose, so these
# expectations (suite, table, metric) warn on it; every other one passes.
DEFECT_WARNINGS = {
    ("staging", "staging.base_segment__tracks", "rejected_share"),
    ("staging", "staging.base_crm__orders", "rejected_share"),
    ("raw", "intermediate.int_quarantine_reasons_counted", "lost_share"),
    ("staging", "intermediate.int_quarantine_reasons_counted", "altered_share"),
}


def free_port() -> int:
    """A TCP port of 127.0.0.1 free now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dbt_env(raw_path: Path, duckdb_path: Path) -> dict[str, str]:
    """dbt's environment for a test's build. Unit tests are left out, as production builds leave
    them out (orchestration.dbt_build): they do not depend on the data, and `make dbt-test` runs
    each of them once."""
    return {
        **os.environ,
        "DBT_EXCLUDE_RESOURCE_TYPES": "unit_test",
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "AUDIENCE_TARGET": "ci",
        "AUDIENCE_RAW_PATH": str(raw_path),
        "AUDIENCE_DUCKDB_PATH": str(duckdb_path),
    }


@functools.cache
def parsed_state() -> Path:
    """The partial-parse state of one `dbt parse` of the project, made once per test process. A
    parse takes about 20 s; seeded with this state, a build's own parse only checks what
    changed (as dagster-dbt seeds each invocation's target folder). dbt reuses the state only
    when the profile's connection settings match, and they hold the DuckDB path: so dbt runs in
    the warehouse's folder and names the file relatively (seeded_env)."""
    folder = Path(tempfile.mkdtemp(prefix="dbt-parsed-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    subprocess.run(
        [str(DBT), "parse", "--quiet"],
        cwd=folder, env=folder_env(folder, folder / "audience.duckdb"),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return folder / "target" / PARTIAL_PARSE


def dbt_target(duckdb_path: Path) -> Path:
    """The target folder of the dbt runs on duckdb_path: beside the warehouse."""
    return duckdb_path.parent / "target"


def folder_env(
    raw_path: Path, duckdb_path: Path, project_dir: Path = PROJECT_DIR
) -> dict[str, str]:
    """dbt's environment (dbt_env) for a process started in the warehouse's folder: the project
    and a target folder beside the warehouse named by DBT_PROJECT_DIR and DBT_TARGET_PATH, the
    DuckDB file by its name."""
    return {
        **dbt_env(raw_path, duckdb_path),
        "AUDIENCE_DUCKDB_PATH": duckdb_path.name,
        "DBT_PROJECT_DIR": str(project_dir),
        "DBT_TARGET_PATH": str(dbt_target(duckdb_path)),
    }


def seeded_env(
    raw_path: Path, duckdb_path: Path, project_dir: Path = PROJECT_DIR
) -> dict[str, str]:
    """folder_env, its target folder seeded with parsed_state() when the project is this one."""
    target = dbt_target(duckdb_path)
    if project_dir == PROJECT_DIR and not (target / PARTIAL_PARSE).exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(parsed_state(), target / PARTIAL_PARSE)
    return folder_env(raw_path, duckdb_path, project_dir)


def run_dbt(
    args: list[str],
    raw_path: Path,
    duckdb_path: Path,
    extra_env: dict[str, str] | None = None,
    project_dir: Path = PROJECT_DIR,
) -> subprocess.CompletedProcess:
    """Run dbt as a user would, in its own process, against the given raw data and warehouse
    (in project_dir, the project itself unless a test made a modified copy), its artifacts in
    the target folder beside the warehouse."""
    return subprocess.run(
        [str(DBT), *args],
        cwd=duckdb_path.parent,
        env={**seeded_env(raw_path, duckdb_path, project_dir), **(extra_env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def person_rebuilt_tables(target: Path) -> set[str]:
    """`<schema>.<model>` of every model built with macro persons_to_rebuild, from the manifest
    dbt wrote to target: the person-keyed tables an incremental run rebuilds by fingerprint."""
    manifest = json.loads((target / "manifest.json").read_text())
    return {
        f"{node['schema']}.{node['name']}"
        for node in manifest["nodes"].values()
        if "macro.audience.persons_to_rebuild" in node.get("depends_on", {}).get("macros", [])
    }


def generate_data(out_dir: Path, **options) -> dict:
    from orchestration.generator import generate

    return generate(out_dir, **options)


EVENT_TABLES = ("tracks", "pages", "identifies")


def split_events_at(
    source_raw: Path,
    target_raw: Path,
    cutoff: datetime.datetime,
    tables: tuple[str, ...] = EVENT_TABLES,
) -> dict[str, Path]:
    """Copy the raw data in source_raw to target_raw with each table of `tables` cut by
    received_at: rows received before cutoff (or without a received_at) go to
    target_raw/<table>/part-a.parquet; the rest to <table>/part-b.parquet in a folder next to
    target_raw, whose paths are returned so a test can add them later (add_raw_part). Other
    tables are copied whole."""
    held_back = target_raw.parent / f"{target_raw.name}-held-back"
    bound = pa.scalar(cutoff, pa.timestamp("us", tz="UTC"))
    parts = {}
    for folder in sorted(p for p in source_raw.iterdir() if p.is_dir()):
        if folder.name not in tables:
            shutil.copytree(folder, target_raw / folder.name)
            continue
        data = pq.read_table(folder)
        received = data["received_at"].cast(pa.timestamp("us", tz="UTC"))
        early = pc.fill_null(pc.less(received, bound), True)
        for directory, rows, name in (
            (target_raw, data.filter(early), "part-a"),
            (held_back, data.filter(pc.invert(early)), "part-b"),
        ):
            (directory / folder.name).mkdir(parents=True, exist_ok=True)
            pq.write_table(rows, directory / folder.name / f"{name}.parquet")
        parts[folder.name] = held_back / folder.name / "part-b.parquet"
    return parts


def add_raw_part(part: Path, target_raw: Path) -> None:
    """Move a part file made by split_events_at into its table's folder under target_raw."""
    shutil.move(part, target_raw / part.parent.name / part.name)


HOLD = """
import sys, time
import duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read_only")
print("connected", flush=True)
while True:
    time.sleep(60)
"""


@contextlib.contextmanager
def held(path: Path, mode: str = "read_write") -> Iterator[subprocess.Popen]:
    """A separate process holding a connection to the warehouse until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = holder.stdout.readline()
        assert line.strip() == "connected", holder.stderr.read() if holder.poll() else line
        yield holder
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
        holder.stderr.close()
