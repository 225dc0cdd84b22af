"""publish(): the warehouse's reader-facing schemas copied into a new version folder, fsynced,
then `current` swapped to it in one rename; a failure leaves `current` as it was."""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from orchestration.durable import fsync_path
from orchestration.publish.copy import copy_schemas
from orchestration.publish.index import build_lookup_index
from orchestration.publish.location import DATABASE, INDEX, MANIFEST
from orchestration.publish.versions import (
    INCOMPLETE,
    KEEP_VERSIONS,
    fsync_tree,
    new_version_name,
    prune,
    publish_lock,
    swap_current,
)
from orchestration.settings import Setting, as_setting
from orchestration.warehouse import connect_read_only, existing_warehouse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Published:
    """What a publish wrote: the version folder's name and path, its manifest (as written to
    manifest.json) and the old versions it deleted."""

    version: str
    path: Path
    manifest: dict[str, Any]
    pruned: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.version

    @property
    def tables(self) -> dict[str, int]:
        """Rows per copied `schema.table`."""
        return self.manifest["tables"]

    @property
    def rows(self) -> int:
        """Rows copied over all tables."""
        return sum(self.tables.values())


def build_version(warehouse: Path, folder: Path, version: str) -> dict[str, Any]:
    """Fill the folder: the DuckDB copy, the lookup index, the manifest; all fsynced."""
    started = time.perf_counter()
    with connect_read_only(warehouse) as con:
        tables = copy_schemas(con, folder / DATABASE)
        index = build_lookup_index(con, folder / INDEX)
    manifest = {
        "version": version,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        # the file's name only: manifests are shown to readers, paths are not theirs to see
        "source_warehouse": warehouse.name,
        "database": DATABASE,
        "tables": tables,
        "lookup_index": {"file": INDEX, "rows": index} if index is not None else None,
        "duration_seconds": round(time.perf_counter() - started, 3),
    }
    (folder / MANIFEST).write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    fsync_tree(folder)
    return manifest


def publish(
    warehouse: Setting[Path] | Path,
    publish_dir: Setting[Path] | Path,
    keep: int = KEEP_VERSIONS,
) -> Published:
    """Copy the warehouse's analytics, segments, reference and serving schemas (views as tables)
    and the lookup API's index into `<publish_dir>/<UTC timestamp>-<short id>/`, point
    `<publish_dir>/current` at it atomically and keep the newest `keep` versions.

    FileNotFoundError when there is no warehouse; WarehouseBusy when a build holds it or another
    publish holds the folder. On any failure the partial folder is removed and `current` is
    untouched."""
    source = existing_warehouse(warehouse)
    folder_setting = as_setting(publish_dir)
    root = folder_setting.value
    root.mkdir(parents=True, exist_ok=True)
    with publish_lock(root):
        version = new_version_name()
        staging = root / f"{INCOMPLETE}{version}"
        final = root / version
        staging.mkdir()
        try:
            manifest = build_version(source, staging, version)
            os.rename(staging, final)
            fsync_path(root)
            swap_current(root, version)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(final, ignore_errors=True)
            raise
        pruned = prune(root, keep)
    log.info("published %s (%d tables) in %s", version, len(manifest["tables"]), folder_setting)
    return Published(version, final, manifest, pruned)
