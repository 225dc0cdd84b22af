"""The store consults the erasure list itself, whatever the index holds, and `audience serve`
refuses to start without a salt, a clients file or a published copy."""

from __future__ import annotations

import argparse
import sqlite3

import orjson
import pytest

from orchestration.lookup.command import add_serve_parser
from orchestration.lookup.hashing import identifier_hash
from orchestration.lookup.store import PublishedCopyError, PublishedStore, open_snapshot
from orchestration.publish import publish
from orchestration.publish.index import SCHEMA
from tests.publish.small_warehouse import SALT, build_warehouse


def test_a_person_with_an_erased_identifier_is_not_returned(tmp_path):
    """An index that still holds an erased person (an erasure list newer than the profiles)."""
    user, email = (identifier_hash(SALT, "user_id", "u-3"), identifier_hash(SALT, "email", "e@x"))
    with sqlite3.connect(tmp_path / "lookup.sqlite") as db:
        db.executescript(SCHEMA)
        db.executemany(
            "insert into identifiers values (?, ?, 'p3')",
            [(bytes.fromhex(user), "user_id"), (bytes.fromhex(email), "email")],
        )
        db.execute("insert into profiles values ('p3', ?)", (b'{"person_id": "p3"}',))
        db.execute("insert into erased values (?)", (bytes.fromhex(email),))
    (tmp_path / "manifest.json").write_bytes(orjson.dumps({"published_at": "now"}))
    snapshot = open_snapshot(tmp_path)
    assert snapshot.person_for(email, "email") is None
    assert snapshot.person_for(user, "user_id") is None
    assert snapshot.profile("p3") is None
    snapshot.close()


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_serve_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve", *argv])
    return args.handler(args)


def test_serve_refuses_to_start_without_its_settings(tmp_path, monkeypatch, capsys):
    clients = tmp_path / "clients.yml"
    clients.write_text(f"clients:\n  - name: a\n    token_sha256: {'a' * 64}\n")
    monkeypatch.delenv("AUDIENCE_API_CLIENTS_FILE", raising=False)
    monkeypatch.setenv("AUDIENCE_PII_SALT", "short")
    assert serve(["--clients-file", str(clients)]) == 2
    assert "AUDIENCE_PII_SALT: expected the secret of at least 16" in capsys.readouterr().err
    monkeypatch.setenv("AUDIENCE_PII_SALT", SALT)
    assert serve(["--publish-dir", str(tmp_path)]) == 2
    assert "pass --clients-file or set AUDIENCE_API_CLIENTS_FILE" in capsys.readouterr().err
    monkeypatch.setenv("AUDIENCE_API_CLIENTS_FILE", str(clients))
    assert serve(["--publish-dir", str(tmp_path)]) == 2
    assert "no published copy in" in capsys.readouterr().err
    (tmp_path / "v1").mkdir()
    (tmp_path / "current").symlink_to("v1")
    with pytest.raises(PublishedCopyError, match=r"has no lookup\.sqlite"):
        open_snapshot(tmp_path / "v1")


def test_store_follows_current_and_closes_the_old_version(tmp_path):
    warehouse = build_warehouse(tmp_path / "audience.duckdb")
    first = publish(warehouse, tmp_path / "published")
    store = PublishedStore(tmp_path / "published", check_interval=0)
    with store.snapshot() as old:
        assert old.version == first.version
        second = publish(warehouse, tmp_path / "published")
        with store.snapshot() as new:
            assert new.version == second.version
            assert new.person_for(identifier_hash(SALT, "user_id", "u-1"), "user_id") == "p1"
        assert old.profile("p1") is not None  # in flight: still open
    with pytest.raises(sqlite3.ProgrammingError):
        old.profile("p1")  # closed once its last request finished
    store.close()
