"""Files: a snapshot of each segment's audience in a directory (base_url), as CSV or Parquet
(options.format), with manifest.json giving the file, its row count, columns and SHA-256.
Identifiers are SHA-256 hex, as ad platforms take file drops. Every add or remove rewrites the
snapshot and then the manifest, each atomically (written aside, then renamed), so a reader that
trusts the manifest never sees half a file and a crash leaves the last confirmed state."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from orchestration.sync import identifiers as ids
from orchestration.sync.destinations.base import (
    Audience,
    BatchOutcome,
    Destination,
    Prepared,
    RowResult,
    contact_points,
)

COLUMNS = ["person_id", "email_sha256", "phone_sha256"]
FORMATS = ("csv", "parquet")


class Files(Destination):
    name = "files"
    batch_size = 1_000_000_000  # a snapshot rewrite per operation, whatever the size
    concurrency = 1
    creates_audiences = False

    def format(self) -> str:
        fmt = self.config.option("format", "parquet")
        if fmt not in FORMATS:
            raise self.config.error("options.format", f"one of {list(FORMATS)}", fmt)
        return fmt

    def prepare(self, member: dict[str, Any]) -> Prepared:
        email, phone = contact_points(member)
        return Prepared(
            member["person_id"],
            {"person_id": member["person_id"]},
            {
                "email_sha256": ids.sha256_hex(email) if email else None,
                "phone_sha256": ids.sha256_hex(phone) if phone else None,
            },
        )

    def audience(self, segment_name: str, known_id: str | None) -> Audience:
        return Audience(segment_name, self.config.audiences.get(segment_name, segment_name))

    def folder(self, audience: Audience) -> Path:
        return Path(self.config.base_url.removeprefix("file://")) / audience.audience_id

    def read(self, audience: Audience) -> dict[str, dict[str, Any]]:
        """The snapshot the manifest names, by person."""
        manifest = self.folder(audience) / "manifest.json"
        if not manifest.exists():
            return {}
        path = self.folder(audience) / json.loads(manifest.read_text())["file"]
        if path.suffix == ".parquet":
            table = pq.read_table(path)
        else:  # as text: an id of digits only must stay the string it was
            options = pa_csv.ConvertOptions(
                column_types={c: pa.string() for c in COLUMNS}, strings_can_be_null=True
            )
            table = pa_csv.read_csv(path, convert_options=options)
        return {row["person_id"]: row for row in table.to_pylist()}

    def _write(self, audience: Audience, rows: dict[str, dict[str, Any]]) -> None:
        folder = self.folder(audience)
        folder.mkdir(parents=True, exist_ok=True)
        fmt = self.format()
        ordered = [rows[key] for key in sorted(rows)]
        table = pa.Table.from_pylist(ordered, schema=pa.schema([(c, pa.string()) for c in COLUMNS]))
        name = f"members.{fmt}"
        aside = folder / f".{name}.tmp"
        if fmt == "parquet":
            pq.write_table(table, aside)
        else:
            pa_csv.write_csv(table, aside)
        os.replace(aside, folder / name)
        manifest = {
            "audience": audience.audience_id,
            "segment_name": audience.segment_name,
            "file": name,
            "format": fmt,
            "row_count": len(ordered),
            "columns": COLUMNS,
            "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
            "written_at": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        aside = folder / ".manifest.json.tmp"
        aside.write_text(json.dumps(manifest, indent=2) + "\n")
        os.replace(aside, folder / "manifest.json")

    def add(self, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        rows = self.read(audience)
        rows |= {p.person_id: p.identity | p.attributes for p in batch}
        self._write(audience, rows)
        return BatchOutcome([RowResult(p.person_id, True) for p in batch])

    def remove(
        self, audience: Audience, batch: list[Prepared], refs: dict[str, str]
    ) -> BatchOutcome:
        rows = self.read(audience)
        for p in batch:
            rows.pop(p.person_id, None)
        self._write(audience, rows)
        return BatchOutcome([RowResult(p.person_id, True) for p in batch])
