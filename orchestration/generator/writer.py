"""Deterministic Parquet output: raw part files, truth files and the manifest.

Files depend only on their data: fixed compression, fixed row-group size, no run times or
absolute paths anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 131_072
OPTIONS = {"compression": "zstd", "compression_level": 1, "write_statistics": True}


def dictionary_columns(schema: pa.Schema) -> list[str]:
    """String columns worth dictionary-encoding: all but the table's key (first column),
    near-unique text (`properties`) and CRM timestamps (`*_at`)."""
    return [
        f.name
        for f in schema
        if f.type == pa.string()
        and f.name != schema[0].name
        and f.name != "properties"
        and not f.name.endswith("_at")
    ]


def part_path(out_dir: Path, table: str, part: int) -> Path:
    """raw/<table>/part-00000.parquet"""
    return out_dir / "raw" / table / f"part-{part:05d}.parquet"


def write_part(out_dir: Path, table: str, part: int, data: pa.Table) -> None:
    """Write one part file of a raw table (a schema-only file when data has no rows)."""
    path = part_path(out_dir, table, part)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        data,
        path,
        row_group_size=ROW_GROUP_ROWS,
        use_dictionary=dictionary_columns(data.schema),
        **OPTIONS,
    )


class TruthWriter:
    """Appends chunks to one Parquet file (one row group per chunk at most ROW_GROUP_ROWS)."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(
            path, schema, use_dictionary=dictionary_columns(schema), **OPTIONS
        )

    def write(self, data: pa.Table) -> None:
        """Append rows."""
        self._writer.write_table(data, row_group_size=ROW_GROUP_ROWS)

    def close(self) -> None:
        """Finish the file."""
        self._writer.close()


def write_manifest(out_dir: Path, manifest: dict) -> None:
    """manifest.json, keys sorted, stable formatting."""
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")
