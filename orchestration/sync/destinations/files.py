"""Files: a snapshot of each segment's audience in a directory (base_url), as CSV or Parquet
(options.format), with manifest.json giving the file, its row count, columns and SHA-256.
Identifiers are SHA-256 hex, as ad platforms take file drops. Every add or remove writes a new
snapshot file named by its content (members-<sha256 prefix>.<format>), then switches the
manifest to it atomically (written aside, then renamed), then deletes older snapshots: a reader
that trusts the manifest never sees half a file, and a crash leaves the last confirmed state.

Nothing from configuration, the warehouse or a manifest is trusted as a path: the audience id
(the segment name unless configured) must be a plain name, every resolved path must stay in the
base folder, and a manifest is read only when it names the snapshot this module writes and its
checksum matches."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from pydantic import BaseModel, ValidationError

from orchestration.sync import identifiers as ids
from orchestration.sync.destinations.base import (
    Audience,
    BatchOutcome,
    Destination,
    Prepared,
    RowResult,
    contact_points,
)
from orchestration.sync.errors import DestinationError

COLUMNS = ["person_id", "email_sha256", "phone_sha256"]
FORMATS = ("csv", "parquet")
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
SNAPSHOT = re.compile(r"members-[0-9a-f]{16}\.(csv|parquet)")


@contextlib.contextmanager
def _aside(folder: Path) -> Iterator[tuple[Path, BinaryIO]]:
    """A new file in `folder` to write before it is renamed into place: created exclusively
    (mkstemp), so a link planted under a fixed temporary name is never written through."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            yield Path(name), file
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


class Manifest(BaseModel):
    file: str
    format: str
    row_count: int
    sha256: str


class Files(Destination):
    platform = "Files"
    consent_purpose = "ads_personalization"
    identifiers = ("email", "phone_e164")
    description = (
        "A CSV or Parquet snapshot per segment with a manifest, for platforms that take file drops"
    )
    batch_size = 1_000_000_000  # a snapshot rewrite per operation, whatever the size
    concurrency = 1
    creates_audiences = False
    uses_http = False

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
        audience_id = self.config.audiences.get(segment_name, segment_name)
        if not SAFE_NAME.fullmatch(audience_id) or ".." in audience_id:
            field = f"audiences.{segment_name}" if segment_name in self.config.audiences else None
            expected = "a folder name of letters, digits, '_', '-' and '.' (no '..')"
            if field:
                raise self.config.error(field, expected, audience_id)
            raise DestinationError(f"files: segment name {audience_id!r}: expected {expected}")
        return Audience(segment_name, audience_id)

    def folder(self, audience: Audience) -> Path:
        base = Path(self.config.base_url.removeprefix("file://")).resolve()
        folder = (base / audience.audience_id).resolve()
        if folder.parent != base:
            raise DestinationError(f"files: {audience.audience_id!r} resolves outside the base")
        return folder

    def read(self, audience: Audience) -> dict[str, dict[str, Any]]:
        """The snapshot the manifest names, by person, once the manifest is checked."""
        folder = self.folder(audience)
        manifest_path = folder / "manifest.json"
        if manifest_path.is_symlink():
            raise DestinationError(f"files: {manifest_path}: a link, not the manifest this writes")
        if not manifest_path.exists():
            return {}
        manifest = self._manifest(manifest_path)
        path = folder / manifest.file
        if path.is_symlink() or path.resolve().parent != folder:
            raise DestinationError(f"files: {manifest_path}: file: resolves outside the folder")
        if not path.is_file():
            raise DestinationError(f"files: {manifest_path}: file: {manifest.file} is missing")
        if hashlib.sha256(path.read_bytes()).hexdigest() != manifest.sha256:
            raise DestinationError(
                f"files: {manifest_path}: sha256: does not match {manifest.file}, which was "
                "changed outside the sync (delete the folder to start it again)"
            )
        if manifest.format == "parquet":
            table = pq.read_table(path)
        else:  # as text: an id of digits only must stay the string it was
            options = pa_csv.ConvertOptions(
                column_types={c: pa.string() for c in COLUMNS}, strings_can_be_null=True
            )
            table = pa_csv.read_csv(path, convert_options=options)
        return {row["person_id"]: row for row in table.to_pylist()}

    @staticmethod
    def _manifest(path: Path) -> Manifest:
        try:
            manifest = Manifest.model_validate_json(path.read_bytes())
        except ValidationError:
            raise DestinationError(
                f"files: {path}: expected the manifest this sync writes (file, format, "
                "row_count, sha256)"
            ) from None
        match = SNAPSHOT.fullmatch(manifest.file)
        if not match or match.group(1) != manifest.format:
            raise DestinationError(
                f"files: {path}: file: expected a snapshot this sync writes "
                "(members-<hash>.csv or .parquet, as its format says)"
            )
        return manifest

    def _write(self, audience: Audience, rows: dict[str, dict[str, Any]]) -> None:
        folder = self.folder(audience)
        folder.mkdir(parents=True, exist_ok=True)
        fmt = self.format()
        ordered = [rows[key] for key in sorted(rows)]
        table = pa.Table.from_pylist(ordered, schema=pa.schema([(c, pa.string()) for c in COLUMNS]))
        with _aside(folder) as (aside, file):
            if fmt == "parquet":
                pq.write_table(table, file)
            else:
                pa_csv.write_csv(table, file)
        digest = hashlib.sha256(aside.read_bytes()).hexdigest()
        name = f"members-{digest[:16]}.{fmt}"
        os.replace(aside, folder / name)
        manifest = {
            "audience": audience.audience_id,
            "segment_name": audience.segment_name,
            "file": name,
            "format": fmt,
            "row_count": len(ordered),
            "columns": COLUMNS,
            "sha256": digest,
            "written_at": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        with _aside(folder) as (aside, file):
            file.write((json.dumps(manifest, indent=2) + "\n").encode())
        os.replace(aside, folder / "manifest.json")
        for older in folder.glob("members-*"):
            if older.name != name and SNAPSHOT.fullmatch(older.name):
                older.unlink()

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
