"""The files destination never writes or reads outside its base folder: segment names and
configured audience ids that are not plain folder names, symlinks placed in the base folder and
manifests edited by hand are refused, the run failing cleanly with an error that names what was
expected; a snapshot left behind by a crash goes at the next write."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from orchestration.sync.config import load_config
from orchestration.sync.destinations import build_destination
from orchestration.sync.engine import run_sync
from orchestration.warehouse import connect_file
from tests.sync.conftest import SEGMENT, person
from tests.sync.platforms import write_config

SENTINEL = "sentinel text that must stay where it is"
EXPECTED_NAME = "expected a folder name of letters, digits"


@pytest.fixture
def base(tmp_path):
    """The base folder, one level down so that climbing out of it lands in a folder we watch."""
    return tmp_path / "area" / "base"


def sync(tmp_path, warehouse, base, segment=SEGMENT, audiences=None):
    body = {"base_url": str(base), "options": {"format": "csv"}}
    if audiences:
        body["audiences"] = audiences
    path = write_config(tmp_path / "files.yml", {"files": body})
    destination = build_destination(load_config(path)["files"])
    with connect_file(warehouse.path) as con:
        return run_sync(con, destination, segment)


def outside(tmp_path, base) -> set:
    """Every path under tmp_path outside the base folder, but the warehouse's own files."""
    return {
        p
        for p in tmp_path.rglob("*")
        if base not in p.parents and p != base and not p.name.startswith("audience.duckdb")
    }


def synced_folder(tmp_path, warehouse, base):
    """A segment synced once: its folder and its manifest."""
    warehouse.set_members("files", [person(i) for i in range(10)])
    assert sync(tmp_path, warehouse, base).status == "success"
    folder = base / SEGMENT
    return folder, json.loads((folder / "manifest.json").read_text())


@pytest.mark.parametrize("segment", ["../../x", "ABSOLUTE", "a..b", "..", "x/../../y"])
def test_a_segment_name_that_is_not_a_plain_folder_name_is_refused(
    segment, tmp_path, warehouse, base
):
    if segment == "ABSOLUTE":
        segment = str(tmp_path / "elsewhere")
    base.mkdir(parents=True)
    warehouse.set_members("files", [person(1), person(2)], segment=segment)
    before = outside(tmp_path, base)
    run = sync(tmp_path, warehouse, base, segment=segment)
    assert (run.status, run.error_kind) == ("failed", "destination")
    assert EXPECTED_NAME in run.error and "no '..'" in run.error
    assert outside(tmp_path, base) - before == {tmp_path / "files.yml"} - before
    assert not (tmp_path / "elsewhere").exists() and not (tmp_path / "x").exists()
    assert list(base.iterdir()) == []


@pytest.mark.parametrize("audience_id", ["../outside", "ABSOLUTE", "a/../../outside"])
def test_a_configured_audience_id_that_climbs_out_is_a_configuration_error(
    audience_id, tmp_path, warehouse, base
):
    if audience_id == "ABSOLUTE":
        audience_id = str(tmp_path / "outside")
    warehouse.set_members("files", [person(1)])
    run = sync(tmp_path, warehouse, base, audiences={SEGMENT: audience_id})
    assert (run.status, run.error_kind) == ("failed", "configuration")
    assert f"destinations.files.audiences.{SEGMENT}: {EXPECTED_NAME}" in run.error
    assert not (tmp_path / "outside").exists() and not (base.parent / "outside").exists()
    assert not base.exists() or list(base.rglob("*")) == []


def test_a_symlink_named_like_the_segment_that_leads_out_of_the_base_is_refused(
    tmp_path, warehouse, base
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    base.mkdir(parents=True)
    (base / SEGMENT).symlink_to(elsewhere, target_is_directory=True)
    warehouse.set_members("files", [person(1), person(2)])
    run = sync(tmp_path, warehouse, base)
    assert (run.status, run.error_kind) == ("failed", "destination")
    assert "resolves outside the base" in run.error
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("leftover", [".members.csv.tmp", ".manifest.json.tmp"])
def test_a_symlinked_temporary_file_is_never_written_through(leftover, tmp_path, warehouse, base):
    """The snapshot and the manifest are first written aside; a symlink placed under that name
    must not carry the write out of the folder."""
    target = tmp_path / "victim.txt"
    target.write_text(SENTINEL)
    (base / SEGMENT).mkdir(parents=True)
    (base / SEGMENT / leftover).symlink_to(target)
    warehouse.set_members("files", [person(1), person(2)])
    assert sync(tmp_path, warehouse, base).status == "success"
    assert target.read_text() == SENTINEL
    manifest = json.loads((base / SEGMENT / "manifest.json").read_text())
    written = [base / SEGMENT / "manifest.json", base / SEGMENT / manifest["file"]]
    assert not any(path.is_symlink() for path in written)


def test_a_manifest_symlinked_to_a_file_outside_the_folder_is_not_read(tmp_path, warehouse, base):
    folder, manifest = synced_folder(tmp_path, warehouse, base)
    moved = tmp_path / "manifest-elsewhere.json"
    (folder / "manifest.json").rename(moved)
    (folder / "manifest.json").symlink_to(moved)
    warehouse.set_members("files", [person(i) for i in range(1, 12)])
    run = sync(tmp_path, warehouse, base)
    assert (run.status, run.error_kind) == ("failed", "destination")
    assert "manifest.json" in run.error
    assert json.loads(moved.read_text()) == manifest


@pytest.mark.parametrize("named", ["../../secret.txt", "ABSOLUTE", "members.csv"])
def test_a_manifest_naming_another_file_fails_the_run_without_touching_or_showing_it(
    named, tmp_path, warehouse, base
):
    folder, manifest = synced_folder(tmp_path, warehouse, base)
    if named == "ABSOLUTE":
        named = str(tmp_path / "secret.txt")
    secret = (folder / named).resolve()
    secret.write_text(SENTINEL)
    digest = hashlib.sha256(SENTINEL.encode()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest | {"file": named, "sha256": digest}))
    warehouse.set_members("files", [person(i) for i in range(1, 12)])
    run = sync(tmp_path, warehouse, base)
    assert (run.status, run.error_kind) == ("failed", "destination")
    assert "file: expected a snapshot this sync writes" in run.error
    assert SENTINEL not in run.error
    assert secret.read_text() == SENTINEL
    assert (folder / manifest["file"]).exists()


def test_a_snapshot_changed_outside_the_sync_fails_the_run_naming_sha256(tmp_path, warehouse, base):
    folder, manifest = synced_folder(tmp_path, warehouse, base)
    snapshot = folder / manifest["file"]
    data = bytearray(snapshot.read_bytes())
    data[-2] = ord("0") if data[-2] != ord("0") else ord("1")
    snapshot.write_bytes(bytes(data))
    warehouse.set_members("files", [person(i) for i in range(1, 12)])
    run = sync(tmp_path, warehouse, base)
    assert (run.status, run.error_kind) == ("failed", "destination")
    assert f"sha256: does not match {manifest['file']}" in run.error
    assert snapshot.read_bytes() == bytes(data)  # left as found for someone to look at


def test_a_snapshot_left_by_a_crash_goes_at_the_next_write_and_the_manifest_names_its_content(
    tmp_path, warehouse, base
):
    folder, first = synced_folder(tmp_path, warehouse, base)
    crashed = folder / "members-0123456789abcdef.csv"
    crashed.write_text("person_id\np9\n")
    unrelated = folder / "members-notes.txt"
    unrelated.write_text("not a snapshot")
    warehouse.set_members("files", [person(i) for i in range(1, 12)])
    run = sync(tmp_path, warehouse, base)
    assert (run.status, run.added, run.removed) == ("success", 2, 1)
    manifest = json.loads((folder / "manifest.json").read_text())
    digest = hashlib.sha256((folder / manifest["file"]).read_bytes()).hexdigest()
    assert re.fullmatch(r"members-[0-9a-f]{16}\.csv", manifest["file"])
    assert manifest["file"] == f"members-{digest[:16]}.csv" and manifest["sha256"] == digest
    assert manifest["row_count"] == 11 and manifest["file"] != first["file"]
    assert not crashed.exists() and not (folder / first["file"]).exists()
    assert sorted(p.name for p in folder.glob("members-*")) == [manifest["file"], unrelated.name]
