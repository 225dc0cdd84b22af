"""Sync modes, dry runs, the history row, and the files destination."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from orchestration.sync.config import load_config
from orchestration.sync.destinations import build_destination
from orchestration.sync.engine import run_sync
from orchestration.warehouse import connect_file
from tests.sync.conftest import SEGMENT, person, write_config


def test_a_dry_run_reports_the_diff_and_sends_nothing(warehouse, connect):
    platform = connect("meta_ads")
    people = [person(i) for i in range(25_000)] + [
        person(1) | {"person_id": "x", "email": "bad", "phone_e164": None}
    ]
    warehouse.set_members("meta_ads", people)
    run = platform.sync(warehouse, dry_run=True)
    assert (run.status, run.added, run.invalid, run.batches) == ("dry_run", 25_000, 1, 3)
    assert platform.fake.requests == []
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        assert con.execute("select count(*) from sync.sync_state").fetchone() == (0,)
        history = con.execute(
            "select status, added, invalid, is_dry_run from sync.sync_runs"
        ).fetchall()
    assert history == [("dry_run", 25_000, 1, True)]


@pytest.mark.parametrize(
    ("mode", "held_after"),
    [
        ("mirror", "later"),  # adds and removes
        ("upsert", "both"),  # adds and updates, never removes
        ("additive", "both_old_email"),  # only new members
        ("full_replace", "later"),
    ],
)
def test_modes(mode, held_after, warehouse, connect):
    platform = connect("hubspot")
    people = [person(i) for i in range(30)]
    warehouse.set_members("hubspot", people)
    platform.sync(warehouse)
    renamed = people[0] | {"first_name": "Renamed"}
    later = [renamed] + people[1:20] + [person(i) for i in range(100, 105)]
    warehouse.set_members("hubspot", later)
    run = platform.sync(warehouse, mode=mode)
    held = platform.held(warehouse)
    expected = {
        "later": platform.expected(later),
        "both": platform.expected(later + people[20:]),
        "both_old_email": platform.expected(people + later[20:]),
    }[held_after]
    assert held == expected
    contact = platform.fake.contacts[
        platform.fake.by_email[platform.destination().prepare(people[0]).identity["email"]]
    ]
    assert contact["firstname"] == (people[0]["first_name"] if mode == "additive" else "Renamed")
    if mode == "full_replace":
        assert (run.added, run.changed, run.unchanged, run.removed) == (5, 1, 19, 10)
        assert sum(size for _, path, size in platform.fake.requests if "upsert" in path) == 30 + 25
    # a later mirror run converges whatever the mode left
    platform.sync(warehouse, mode="mirror")
    assert platform.held(warehouse) == platform.expected(later)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_files_snapshot_and_manifest(fmt, warehouse, tmp_path):
    out = tmp_path / "drops"
    config_path = write_config(
        tmp_path / "files.yml", {"files": {"base_url": str(out), "options": {"format": fmt}}}
    )
    people = [person(i) for i in range(40)] + [person(7) | {"person_id": "1234567"}]

    def sync():
        destination = build_destination(load_config(config_path)["files"])
        with connect_file(warehouse.path) as con:
            return run_sync(con, destination, SEGMENT)

    warehouse.set_members("files", people)
    assert sync().added == 41
    warehouse.set_members("files", [*people[5:], person(99)])
    run = sync()
    assert (run.added, run.removed) == (1, 5)
    manifest = json.loads((out / SEGMENT / "manifest.json").read_text())
    data = out / SEGMENT / manifest["file"]
    table = pq.read_table(data) if fmt == "parquet" else pa_csv.read_csv(data)
    assert manifest["row_count"] == table.num_rows == 37
    assert manifest["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert sorted(table.column("person_id").to_pylist()) == sorted(
        p["person_id"] for p in [*people[5:], person(99)]
    )
    assert all(len(h) == 64 for h in table.column("email_sha256").to_pylist())
    assert not list((out / SEGMENT).glob(".*.tmp"))


def test_a_bad_file_format_names_the_option(warehouse, tmp_path):
    config_path = write_config(
        tmp_path / "files.yml",
        {"files": {"base_url": str(tmp_path), "options": {"format": "xlsx"}}},
    )
    warehouse.set_members("files", [person(1)])
    destination = build_destination(load_config(config_path)["files"])
    with connect_file(warehouse.path) as con:
        run = run_sync(con, destination, SEGMENT)
    assert (run.status, run.error_kind) == ("failed", "configuration")
    assert "options.format: expected one of ['csv', 'parquet'], got 'xlsx'" in run.error


@pytest.mark.parametrize("mode", ["mirror", "upsert", "additive", "full_replace"])
def test_erased_persons_are_removed_whatever_the_mode_then_forgotten(mode, warehouse, connect):
    platform = connect("meta_ads")
    people = [person(i) for i in range(20)]
    warehouse.set_members("meta_ads", people)
    platform.sync(warehouse, mode=mode)
    with duckdb.connect(str(warehouse.path)) as con:
        # what the warehouse's erasure purge does; the export still lists p0000001 (stale)
        con.execute(
            "update sync.sync_state set is_erased = true "
            "where person_id in ('p0000000', 'p0000001')"
        )
    warehouse.set_members("meta_ads", people[1:])
    run = platform.sync(warehouse, mode=mode)
    assert platform.held(warehouse) == platform.expected(people[2:])
    assert (run.erased, run.removed) == (2, 2)
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        left = {row[0] for row in con.execute("select person_id from sync.sync_state").fetchall()}
        erased = con.execute("select erased from sync.sync_runs where run_id = ?", [run.run_id])
        assert erased.fetchone() == (2,)
    assert left == {p["person_id"] for p in people[2:]}
