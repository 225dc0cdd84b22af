"""publish(): the copy's schemas and row counts, the atomic swap of `current`, pruning, failures
that leave `current` alone, and readers holding an old version open."""

from __future__ import annotations

import argparse
import os
import threading
from pathlib import Path

import duckdb
import orjson
import pytest

from orchestration.publish import publish
from orchestration.publish import publisher as publisher_module
from orchestration.publish.command import add_publish_parser
from orchestration.publish.location import CURRENT, current_version
from orchestration.publish.versions import INCOMPLETE, PublishBusy, publish_lock, versions
from orchestration.warehouse import WarehouseBusy
from tests.publish.small_warehouse import add_person, build_warehouse
from tests.support import held


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return build_warehouse(tmp_path / "audience.duckdb")


def relations(path: Path) -> dict[str, str]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select table_schema || '.' || table_name, table_type from information_schema.tables "
            "where table_catalog = current_database()"
        ).fetchall()
    return dict(rows)


def test_copy_has_the_schemas_as_tables_with_their_row_counts(warehouse, tmp_path):
    published = publish(warehouse, tmp_path / "published")
    copy = tmp_path / "published" / CURRENT / "audience.duckdb"
    found = relations(copy)
    assert {name.split(".")[0] for name in found} == {
        "analytics",
        "segments",
        "reference",
        "serving",
    }
    assert set(found.values()) == {"BASE TABLE"}  # analytics.customers, a view, materialized
    assert published.tables == published.manifest["tables"]
    with duckdb.connect(str(copy), read_only=True) as con:
        for name, rows in published.tables.items():
            assert con.execute(f"select count(*) from {name}").fetchone()[0] == rows
        persons = con.execute("select person_id from serving.api_profiles order by 1").fetchall()
    assert published.tables["analytics.customers"] == 2
    assert published.tables["analytics.dim_persons"] == 3
    # the erased person (p3) is left out of the serving tables at the latest
    assert persons == [("p1",), ("p2",)]
    assert published.manifest["lookup_index"]["rows"] == {
        "identifiers": 5,
        "profiles": 2,
        "segments": 2,
        "erased": 1,
    }
    assert (published.path / "lookup.sqlite").is_file()


def test_manifest_names_no_absolute_path(warehouse, tmp_path):
    published = publish(warehouse, tmp_path / "published")
    text = (published.path / "manifest.json").read_text()
    assert str(tmp_path) not in text
    manifest = orjson.loads(text)
    assert manifest["source_warehouse"] == "audience.duckdb"
    assert manifest["published_at"].endswith("+00:00")
    assert manifest == published.manifest


def test_current_is_swapped_atomically(warehouse, tmp_path, monkeypatch):
    root = tmp_path / "published"
    first = publish(warehouse, root)
    replaced = []
    real_replace = os.replace
    seen, stop = [], threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.append(os.readlink(root / CURRENT))  # never missing, never a half-written link

    def record(source, target):
        replaced.append((Path(source).is_symlink(), Path(target).name))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", record)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        second = publish(warehouse, root)
    finally:
        stop.set()
        watcher.join()
    assert replaced == [(True, CURRENT)]
    assert set(seen) <= {first.version, second.version}
    assert os.readlink(root / CURRENT) == second.version  # relative: the folder can move
    assert current_version(root) == second.path
    assert sorted(entry.name for entry in root.iterdir() if entry.name.startswith(".")) == [
        ".publish.lock"
    ]


def test_old_versions_are_pruned(warehouse, tmp_path):
    root = tmp_path / "published"
    (root / f"{INCOMPLETE}20200101T000000000000Z-abcdef").mkdir(parents=True)
    names = [publish(warehouse, root).version for _ in range(5)]
    assert versions(root) == names[-3:]
    assert current_version(root).name == names[-1]
    assert not any(entry.name.startswith(INCOMPLETE) for entry in root.iterdir())
    assert publish(warehouse, root, keep=1).pruned == names[-3:]


def test_failure_leaves_current_and_no_partial_folder(warehouse, tmp_path, monkeypatch):
    root = tmp_path / "published"
    first = publish(warehouse, root)

    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(publisher_module, "build_lookup_index", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        publish(warehouse, root)
    assert current_version(root) == first.path
    assert sorted(entry.name for entry in root.iterdir()) == [
        ".publish.lock",
        first.version,
        CURRENT,
    ]


def test_busy_warehouse_leaves_current(warehouse, tmp_path):
    root = tmp_path / "published"
    first = publish(warehouse, root)
    with held(warehouse), pytest.raises(WarehouseBusy):
        publish(warehouse, root)
    assert current_version(root) == first.path
    assert len(list(root.iterdir())) == 3


def test_a_second_publish_into_the_same_folder_is_refused(warehouse, tmp_path):
    root = tmp_path / "published"
    root.mkdir()
    with publish_lock(root), pytest.raises(PublishBusy, match="another `audience publish`"):
        publish(warehouse, root)
    assert current_version(root) is None


def test_reader_of_an_old_version_keeps_reading(warehouse, tmp_path):
    root = tmp_path / "published"
    publish(warehouse, root)
    reader = duckdb.connect(str(root / CURRENT / "audience.duckdb"), read_only=True)
    add_person(warehouse, "p4", [("user_id", "u-4")])
    publish(warehouse, root, keep=1)  # deletes the version the reader has open
    assert reader.execute("select count(*) from analytics.dim_persons").fetchone()[0] == 3
    reader.close()
    with duckdb.connect(str(root / CURRENT / "audience.duckdb"), read_only=True) as fresh:
        assert fresh.execute("select count(*) from analytics.dim_persons").fetchone()[0] == 4


def test_without_serving_schema_no_lookup_index(warehouse, tmp_path):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop schema serving cascade")
    published = publish(warehouse, tmp_path / "published")
    assert published.manifest["lookup_index"] is None
    assert not (published.path / "lookup.sqlite").exists()


def run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_publish_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_command_reads_the_publish_dir_from_the_environment(
    warehouse, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("AUDIENCE_PUBLISH_PATH", str(tmp_path / "from-env"))
    assert run_command(["publish", "--warehouse", str(warehouse)]) == 0
    assert current_version(tmp_path / "from-env") is not None
    assert (
        "lookup index: identifiers 5, profiles 2, segments 2, erased 1" in capsys.readouterr().out
    )
    assert run_command(["publish", "--warehouse", str(tmp_path / "none.duckdb")]) == 1
    assert "No warehouse at" in capsys.readouterr().err
