"""Randomized: many syncs with random membership changes, random faults and random crashes
between (or right after) requests. After each recovery the platform must hold exactly the
current export: nobody lost, nobody left behind."""

from __future__ import annotations

import itertools
import random

import duckdb
import pytest

from orchestration.sync.destinations import DESTINATIONS
from orchestration.sync.engine import run_sync
from tests.sync.conftest import SEGMENT, person
from tests.sync.fakes import Fault

ROUNDS = 10
FAULTS = ["429", "500", "timeout", "timeout_after_apply"]


class Crash(BaseException):
    """Stands for the process being killed: nothing in the engine catches it."""


def crash_at(destination, request_number: int, after_sending: bool) -> None:
    send = destination.http.request
    counter = itertools.count()

    def request(*args, **kwargs):
        number = next(counter)
        if number == request_number and not after_sending:
            raise Crash
        response = send(*args, **kwargs)
        if number == request_number:
            raise Crash
        return response

    destination.http.request = request


def mutate(rng: random.Random, current: dict[str, dict], fresh: itertools.count) -> dict[str, dict]:
    people = dict(current)
    for pid in rng.sample(sorted(people), k=rng.randint(0, len(people) // 3)):
        del people[pid]
    for _ in range(rng.randint(1, 15)):
        new = person(next(fresh))
        people[new["person_id"]] = new
    for pid in rng.sample(sorted(people), k=min(len(people), rng.randint(0, 4))):
        change = rng.choice(["email", "first_name", "phone_e164"])
        value = {"email": f"moved{rng.randint(0, 10**6)}@example.com", "first_name": "Changed",
                 "phone_e164": None}[change]  # fmt: skip
        people[pid] = people[pid] | {change: value}
    return people


@pytest.mark.parametrize(
    "name", ["meta_ads", "google_ads", "mailchimp", "klaviyo", "hubspot", "webhook"]
)
def test_random_changes_faults_and_crashes_converge(name, warehouse, connect, monkeypatch):
    rng = random.Random(f"crash-recovery-{name}")
    monkeypatch.setattr(DESTINATIONS[name], "batch_size", 7)
    platform = connect(name, timeout=0.5)
    fresh = itertools.count(1000)
    current = {p["person_id"]: p for p in map(person, range(40))}
    crashes = 0
    for _ in range(ROUNDS):
        current = mutate(rng, current, fresh)
        warehouse.set_members(name, list(current.values()))
        platform.fake.inject(*[Fault(rng.choice(FAULTS)) for _ in range(rng.randint(0, 2))])
        destination = platform.destination()
        if rng.random() < 0.6:
            crash_at(destination, rng.randint(0, 3), after_sending=rng.random() < 0.5)
        with duckdb.connect(str(warehouse.path)) as con:
            try:
                run_sync(con, destination, SEGMENT)
            except Crash:
                crashes += 1
                # people may leave (or come back) before the next run: what the crashed run
                # sent without confirming must still be taken back
                current = mutate(rng, current, fresh)
                warehouse.set_members(name, list(current.values()))
        recovery = platform.sync(warehouse)
        assert recovery.status == "success", recovery.error
        assert platform.held(warehouse) == platform.expected(list(current.values()))
    assert crashes >= 3  # the seed makes crashes happen, so recovery is what is tested
