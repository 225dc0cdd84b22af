"""Landing a closed write-ahead log segment as Parquet micro-batches of the raw tables.

Each table the segment has rows for gets `<raw path>/<table>/collector-<segment id>.parquet`,
written atomically: a temporary `.collector-<id>.parquet.tmp` in the same folder (neither the
dbt hook, macros/raw/register_raw_files.sql, nor the Dagster sensor, RAW_SUFFIXES in
orchestration/defs/sensors.py, reads a `.tmp` file), fsync'ed, renamed over the final name, the
folder fsync'ed; then the segment is deleted. The file's name and content depend on the segment
only, so a crash before the segment's deletion lands the same files again over themselves:
nothing lost, nothing doubled.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.collector.schema import SCHEMAS
from orchestration.collector.wal import read_segment, segment_id
from orchestration.durable import fsync_path

# As orchestration/generator/writer.py writes raw files (not imported: the generator package
# takes a while to import, in the server and in its landing process).
OPTIONS = {"compression": "zstd", "compression_level": 1, "write_statistics": True}
NOT_DICTIONARY = {"id", "properties", "traits", "request_id"}


def dictionary_columns(schema: pa.Schema) -> list[str]:
    """String columns worth dictionary-encoding: all but ids and JSON text."""
    return [f.name for f in schema if f.type == pa.string() and f.name not in NOT_DICTIONARY]


def segment_rows(path: Path) -> dict[str, list[list]]:
    """table -> rows of every record of the segment."""
    tables: dict[str, list[list]] = defaultdict(list)
    for payload in read_segment(path):
        for table, rows in orjson.loads(payload)[1]:
            tables[table].extend(rows)
    return tables


def to_arrow(table: str, rows: list[list]) -> pa.Table:
    schema = SCHEMAS[table]
    columns = list(zip(*rows, strict=True))
    return pa.Table.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


def write_atomically(data: pa.Table, path: Path) -> None:
    """Write `path` so that it is either absent or whole, and durable once this returns."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        fsync_path(path.parent.parent)
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as file:
        pq.write_table(data, file, use_dictionary=dictionary_columns(data.schema), **OPTIONS)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    fsync_path(path.parent)


def land_segment(segment: Path, raw_path: Path) -> dict[str, int]:
    """Write the segment's rows as Parquet below raw_path, then delete it; rows per table."""
    name = f"collector-{segment_id(segment)}.parquet"
    counts = {}
    for table, rows in sorted(segment_rows(segment).items()):
        if rows:
            write_atomically(to_arrow(table, rows), raw_path / table / name)
            counts[table] = len(rows)
    segment.unlink()
    fsync_path(segment.parent)
    logging.getLogger(__name__).info(
        "landed segment %s: %s",
        segment_id(segment),
        ", ".join(f"{table} {rows}" for table, rows in counts.items()) or "no rows",
    )
    return counts


EVENT_TABLES = ("tracks", "pages", "identifies")
RAW_SUFFIXES = {".parquet", ".csv", ".tsv", ".jsonl", ".ndjson", ".json"}


def ensure_event_tables(raw_path: Path) -> list[str]:
    """A schema-only `collector-empty.parquet` in each event table folder with no raw file, as
    `audience generate` writes for a table without rows: dbt stops on a required raw table
    without files, and a site may send no identify for a while. Returns the tables given one."""
    created = []
    for table in EVENT_TABLES:
        folder = raw_path / table
        if not folder.is_dir() or not any(
            path.suffix.lower() in RAW_SUFFIXES for path in folder.rglob("*")
        ):
            write_atomically(SCHEMAS[table].empty_table(), folder / "collector-empty.parquet")
            created.append(table)
    return created
