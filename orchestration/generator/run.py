"""The generate() entry point: builds the world, runs the chunks, writes files and manifest."""

from __future__ import annotations

import datetime
import logging
import math
import multiprocessing
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from . import personas
from .chunk import build_chunk
from .contract import TABLES
from .crm import product_columns
from .defects import COUNTED, KINDS
from .layouts import LAYOUTS, to_layout
from .sampling import global_rng
from .truth import IDENTIFIERS_SCHEMA, PERSONS_SCHEMA, shared_identifiers
from .world import CHUNK_USERS, MAX_CHUNKS, World, build_world
from .writer import TruthWriter, write_manifest, write_part

GENERATOR_VERSION = "1.0.0"
DEFAULT_START_DATE = datetime.date(2026, 10, 1)
MAX_WORKERS = 4
MAX_DEFECT_RATE = 0.1  # keeps the disjoint defect kinds of a table well below 100% of rows
PER_CHUNK_TABLES = tuple(t for t in TABLES if t != "products")
log = logging.getLogger(__name__)


def _check(users: int, days: int, defect_rate: float, layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if users < 1 or users > CHUNK_USERS * MAX_CHUNKS:
        raise ValueError(f"users must be between 1 and {CHUNK_USERS * MAX_CHUNKS}, got {users}")
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if not 0 <= defect_rate <= MAX_DEFECT_RATE:
        raise ValueError(f"defect_rate must be within [0, {MAX_DEFECT_RATE}], got {defect_rate}")


@dataclass(frozen=True)
class ChunkSummary:
    """What a written chunk reports back: row and defect counts, personas, truth rows."""

    rows: dict[str, int]  # per table written
    not_carried: int  # tracks the layout cannot hold (malformed properties)
    defects: dict[str, dict[str, int]]
    personas: np.ndarray
    truth_persons: pa.Table
    truth_identifiers: pa.Table


def write_chunk(world: World, out_dir: Path, users: int, layout: str, chunk: int) -> ChunkSummary:
    """Generate one chunk and write its part files in `layout` (runs in a worker process)."""
    result = build_chunk(world, chunk, users)
    tables, not_carried = to_layout(
        layout, {t: result.tables[t] for t in PER_CHUNK_TABLES}, world.contract
    )
    for table, data in tables.items():
        write_part(out_dir, table, chunk, data)
    return ChunkSummary(
        {t: data.num_rows for t, data in tables.items()},
        not_carried,
        result.defects,
        result.personas,
        result.truth_persons,
        result.truth_identifiers,
    )


def _summaries(
    world: World, out_dir: Path, users: int, layout: str, n_chunks: int, workers: int
) -> Iterator[ChunkSummary]:
    """Chunk summaries in chunk order, computed in `workers` processes."""
    task = partial(write_chunk, world, out_dir, users, layout)
    if workers <= 1 or n_chunks <= 1:
        yield from map(task, range(n_chunks))
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(task, range(n_chunks))


def generate(
    out_dir: Path,
    users: int,
    days: int,
    seed: int = 42,
    start_date: datetime.date = DEFAULT_START_DATE,
    defect_rate: float = 0.003,
    progress: bool = False,
    project_dir: Path | None = None,
    workers: int | None = None,
    layout: str = "json_properties",
) -> dict:
    """Generate a full raw data set for `users` online users over `days` days from
    start_date; returns the manifest (also written to out_dir/manifest.json).

    project_dir is the dbt project whose sources YAML and seeds define the contract
    (default: this repository). workers is the number of processes generating chunks
    (default: CPU count, at most MAX_WORKERS); it never changes the output. With several
    chunks and workers, chunks run in spawned processes, so a script calling generate()
    needs the usual `if __name__ == "__main__":` guard. Existing raw/ and truth/ folders
    in out_dir are replaced. layout is the shape of the event tables (orchestration/
    generator/layouts): every layout is written from the same simulated world."""
    _check(users, days, defect_rate, layout)
    out_dir = Path(out_dir)
    for owned in ("raw", "truth"):
        shutil.rmtree(out_dir / owned, ignore_errors=True)
    world = build_world(seed, start_date, days, defect_rate, project_dir)
    products = world.contract.table(
        "products", product_columns(global_rng(seed, 1), world.catalogue)
    )
    write_part(out_dir, "products", 0, products)
    layout_events = () if layout == "json_properties" else ("tracks", "pages", "identifies")
    rows = {t: 0 for t in TABLES if t not in layout_events} | {"products": products.num_rows}
    files = {t: 1 if t == "products" else 0 for t in rows}
    not_carried = 0
    defects = {t: {k: 0 for k in COUNTED.get(t, ()) + KINDS.get(t, ())} for t in TABLES}
    persona_counts = np.zeros(len(personas.NAMES), dtype=np.int64)
    n_chunks = math.ceil(users / CHUNK_USERS)
    workers = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
    people = TruthWriter(out_dir / "truth" / "persons.parquet", PERSONS_SCHEMA)
    identifiers = TruthWriter(out_dir / "truth" / "identifiers.parquet", IDENTIFIERS_SCHEMA)
    identifiers.write(shared_identifiers(world))
    try:
        summaries = _summaries(world, out_dir, users, layout, n_chunks, workers)
        for summary in tqdm(
            summaries, total=n_chunks, desc="generate", unit="chunk", disable=not progress
        ):
            for table, count in summary.rows.items():
                rows[table] = rows.get(table, 0) + count
                files[table] = files.get(table, 0) + 1
            for table, kinds in summary.defects.items():
                for kind, n in kinds.items():
                    defects[table][kind] += n
            not_carried += summary.not_carried
            persona_counts += summary.personas
            people.write(summary.truth_persons)
            identifiers.write(summary.truth_identifiers)
    finally:
        people.close()
        identifiers.close()
    manifest = {
        "seed": seed,
        "users": users,
        "days": days,
        "start_date": start_date.isoformat(),
        "defect_rate": defect_rate,
        "generator_version": GENERATOR_VERSION,
        "layout": layout,
        "tables": {t: {"rows": rows[t], "files": files[t]} for t in sorted(rows)},
        "tracks_not_carried": not_carried,
        "defects": defects,
        "personas": {name: int(n) for name, n in zip(personas.NAMES, persona_counts, strict=True)},
    }
    write_manifest(out_dir, manifest)
    log.info("generated %s rows in %d chunks into %s", sum(rows.values()), n_chunks, out_dir)
    return manifest
