"""A small warehouse holding only what the sync reads (export tables, a passed exports check),
fake platforms on 127.0.0.1 and sync configurations pointing at them."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.sync.config import load_config
from orchestration.sync.destinations import DESTINATIONS, build_destination
from orchestration.sync.destinations.base import Destination
from orchestration.sync.engine import run_sync
from orchestration.sync.state import RunRecord
from orchestration.warehouse import connect_file
from tests.sync import fakes
from tests.sync.platforms import CONNECTIONS, PLATFORMS, SECRETS, write_config

SEGMENT = "churn_risk"
EXPORT_COLUMNS = [
    "segment_name", "person_id", "email", "phone_e164", "first_name", "last_name",
    "postal_code", "country_code",
]  # fmt: skip
FIRST_NAMES = ["Mary", "Valéry", "John", "Zoë", "Ana-Lucía", "O'Neil"]
COUNTRIES = [("US", "94025-1234", "+1650555{:04d}"), ("DE", "50864", "+49151{:08d}")]


def person(i: int) -> dict:
    country, postal, phone = COUNTRIES[i % 2]
    local = f"first.last{i}+news" if i % 7 == 0 else f"user{i}"
    return {
        "segment_name": SEGMENT,
        "person_id": f"p{i:07d}",
        "email": f"{local}@{'gmail.com' if i % 3 == 0 else 'example.com'}",
        "phone_e164": phone.format(i % 10_000 if country == "US" else i) if i % 4 else None,
        "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
        "last_name": "Smith",
        "postal_code": postal,
        "country_code": country,
    }


@dataclass
class Warehouse:
    path: Path

    def set_members(self, destination: str, people: list[dict], segment: str = SEGMENT) -> None:
        frame = pd.DataFrame(
            [p | {"segment_name": segment} for p in people], columns=EXPORT_COLUMNS
        )
        with duckdb.connect(str(self.path)) as con:
            con.execute("create schema if not exists exports")
            con.execute(
                f"create table if not exists exports.exp_{destination} "
                "(segment_name varchar, person_id varchar, email varchar, phone_e164 varchar, "
                "first_name varchar, last_name varchar, postal_code varchar, country_code varchar)"
            )
            con.execute(f"delete from exports.exp_{destination} where segment_name = ?", [segment])
            con.register("members", frame)
            con.execute(f"insert into exports.exp_{destination} select * from members")

    def route(self, destination: str, segment: str = SEGMENT) -> None:
        """What int_segment_destinations_counted says: the segment goes to the destination."""
        with duckdb.connect(str(self.path)) as con:
            con.execute("create schema if not exists intermediate")
            con.execute(
                "create table if not exists intermediate.int_segment_destinations_counted "
                "(segment_name varchar, destination varchar, member_count bigint, "
                "holdout_count bigint, without_consent_count bigint, routed_count bigint)"
            )
            con.execute(
                "insert into intermediate.int_segment_destinations_counted "
                "values (?, ?, 0, 0, 0, 0)",
                [segment, destination],
            )

    def record_check(self, passed: bool) -> None:
        with duckdb.connect(str(self.path)) as con:
            con.execute("create schema if not exists quality")
            con.execute(
                "create table if not exists quality.check_results (run_id varchar, "
                "checked_at timestamp, suite varchar, is_blocking boolean, is_success boolean)"
            )
            con.execute(
                "insert into quality.check_results values (?, ?, 'exports', true, ?)",
                [f"run{random.random()}", datetime.datetime.now(), passed],
            )


def sync_args(warehouse: Warehouse, config_path: Path, *args: str) -> list[str]:
    """`audience sync` on the small warehouse with a configuration, no progress bars."""
    return ["sync", "--warehouse", str(warehouse.path), "--config", str(config_path),
            "--no-progress", *args]  # fmt: skip


def count_prepare(monkeypatch: pytest.MonkeyPatch, name: str) -> Counter:
    """Counts, by person, the calls of the destination class's `prepare` in this process."""
    cls = DESTINATIONS[name]
    original = cls.prepare
    calls: Counter = Counter()

    def counted(self, member):
        calls[member["person_id"]] += 1
        return original(self, member)

    monkeypatch.setattr(cls, "prepare", counted)
    return calls


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    built = Warehouse(tmp_path / "audience.duckdb")
    built.record_check(passed=True)
    return built


@pytest.fixture(autouse=True)
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


@dataclass
class Connected:
    name: str
    fake: fakes.FakePlatform
    config_path: Path

    def destination(self) -> Destination:
        return build_destination(load_config(self.config_path)[self.name])

    def sync(self, warehouse: Warehouse, **kwargs) -> RunRecord:
        with connect_file(warehouse.path) as con:
            return run_sync(con, self.destination(), kwargs.pop("segment", SEGMENT), **kwargs)

    def audience_id(self, warehouse: Warehouse, segment: str = SEGMENT) -> str:
        with duckdb.connect(str(warehouse.path), read_only=True) as con:
            return con.execute(
                "select audience_id from sync.sync_audiences "
                "where segment_name = ? and destination = ?",
                [segment, self.name],
            ).fetchone()[0]

    def expected(self, people: list[dict]) -> set:
        destination = self.destination()
        return {
            key for p in people for key in type(self.fake).expected_keys(destination.prepare(p))
        }

    def held(self, warehouse: Warehouse) -> set:
        return self.fake.members(self.audience_id(warehouse))


@pytest.fixture
def connect(tmp_path: Path) -> Iterator:
    """connect(name) starts the fake platform and writes a config pointing at it; a timeout
    fault holds the answer for twice the client's timeout."""
    started: list[fakes.FakePlatform] = []

    def start(name: str, timeout: float = 30) -> Connected:
        fake = PLATFORMS[name]().__enter__()
        fake.hold_seconds = timeout * 2
        started.append(fake)
        body = CONNECTIONS[name] | {"base_url": fake.url}
        return Connected(name, fake, write_config(tmp_path / f"{name}.yml", {name: body}, timeout))

    yield start
    for fake in started:
        fake.__exit__(None, None, None)
