"""Shared fixtures: generated raw data and a dbt build of it, in a temporary folder."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from filelock import FileLock
from xdist.scheduler import LoadScopeScheduling

from tests.support import BuiltWarehouse, generate_data, run_dbt

# what the Makefile exports for generated data, for pytest run on its own
os.environ.setdefault("AUDIENCE_PII_SALT", "generated-data-only-salt")
# folders whose modules share a session fixture that costs a build of minutes and that they
# read and change (tests/operations: the demo's clone): their modules run on one worker
ONE_WORKER_FOLDERS = ("tests/operations/",)


def _start_order(item: pytest.Item) -> tuple[int, float]:
    """ONE_WORKER_FOLDERS' modules first (the longest chain of work), then the modules marked
    slow (fixtures that build for minutes), the longest first (`slow(minutes=...)`), then the
    rest."""
    if item.nodeid.startswith(ONE_WORKER_FOLDERS):
        return 0, 0
    slow = item.get_closest_marker("slow")
    return (1, -slow.kwargs.get("minutes", 1)) if slow else (2, 0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_start_order)


class ModuleScheduling(LoadScopeScheduling):
    """pytest-xdist's --dist loadfile (a module's tests on one worker, so its fixtures are built
    once), but with each of ONE_WORKER_FOLDERS as one unit, and the modules handed out in the
    order of the collection (_start_order), not by their number of tests: a run whose last
    module builds for minutes leaves the other workers idle. Not --dist loadgroup: its groups
    are lost on pytest 9, which no longer reads the node id xdist 3.8 rewrites."""

    def __init__(self, config: pytest.Config, log: object) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::")[0]
        return next((f for f in ONE_WORKER_FOLDERS if module.startswith(f)), module)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> ModuleScheduling:
    return ModuleScheduling(config, log)


@pytest.fixture(scope="session")
def defective_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """2,000 users over 21 days with 5% of rows defective, built by `dbt build`: once for all
    xdist workers (in their common temporary folder, the first to ask builds it under a lock).
    Tests read it or copy it, never change it."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if "PYTEST_XDIST_WORKER" in os.environ else base
    data_dir = shared / "defective"
    duckdb_path = data_dir / "audience.duckdb"
    with FileLock(shared / "defective.lock"):
        if not (data_dir / "built").exists():
            shutil.rmtree(data_dir, ignore_errors=True)
            manifest = generate_data(data_dir, users=2000, days=21, seed=11, defect_rate=0.05)
            assert manifest == json.loads((data_dir / "manifest.json").read_text())
            result = run_dbt(["build"], data_dir / "raw", duckdb_path)
            assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
            (data_dir / "built").touch()
    return BuiltWarehouse(
        data_dir, duckdb_path, json.loads((data_dir / "manifest.json").read_text())
    )
