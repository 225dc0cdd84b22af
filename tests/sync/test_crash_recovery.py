"""Randomized: many syncs with random membership changes (persons sharing emails and phones
among them), random faults of every kind the fakes know, and crashes at any request of a run,
before or after the request reached the platform. After each recovery the platform must hold
exactly the current export: nobody lost, nobody left behind.

AUDIENCE_CRASH_SEED and AUDIENCE_CRASH_ROUNDS set the seed and the rounds per destination, so a
long run can be made by hand:

    AUDIENCE_CRASH_ROUNDS=500 AUDIENCE_CRASH_SEED=7 pytest tests/sync/test_crash_recovery.py
"""

from __future__ import annotations

import itertools
import os
import random

import pytest

from orchestration.sync.destinations import DESTINATIONS
from orchestration.sync.engine import run_sync
from orchestration.warehouse import connect_file
from tests.sync.conftest import SEGMENT, person
from tests.sync.fakes import KINDS, Fault

ROUNDS = int(os.environ.get("AUDIENCE_CRASH_ROUNDS", "12"))
SEED = os.environ.get("AUDIENCE_CRASH_SEED", "0")


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
        change = rng.choice(["email", "first_name", "phone_e164", "shared_email", "shared_phone"])
        other = people[rng.choice(sorted(people))]
        value = {
            "email": f"moved{rng.randint(0, 10**6)}@example.com",
            "first_name": "Changed",
            "phone_e164": None,
            "shared_email": other["email"],
            "shared_phone": other["phone_e164"],
        }[change]
        people[pid] = people[pid] | {change.removeprefix("shared_"): value}
    return people


@pytest.mark.parametrize(
    "name", ["meta_ads", "google_ads", "mailchimp", "klaviyo", "hubspot", "webhook"]
)
def test_random_changes_faults_and_crashes_converge(name, warehouse, connect, monkeypatch):
    rng = random.Random(f"crash-recovery-{name}-{SEED}")
    monkeypatch.setattr(DESTINATIONS[name], "batch_size", 7)
    platform = connect(name, timeout=0.5)
    platform.fake.trickle_seconds = 0.05  # a slow answer takes seconds: past the deadline
    fresh = itertools.count(1000)
    current = {p["person_id"]: p for p in map(person, range(40))}
    crashes = failures = 0
    requests = 10  # what the last recovery took: a crash falls on any request of such a run
    for _ in range(ROUNDS):
        current = mutate(rng, current, fresh)
        warehouse.set_members(name, list(current.values()))
        platform.fake.inject(*[Fault(rng.choice(KINDS)) for _ in range(rng.randint(0, 3))])
        destination = platform.destination()
        if rng.random() < 0.6:
            crash_at(destination, rng.randint(0, requests), after_sending=rng.random() < 0.5)
        with connect_file(warehouse.path) as con:
            try:
                failures += run_sync(con, destination, SEGMENT).status == "failed"
            except Crash:
                crashes += 1
                # people may leave (or come back) before the next run: what the crashed run
                # sent without confirming must still be taken back
                current = mutate(rng, current, fresh)
                warehouse.set_members(name, list(current.values()))
        platform.fake.faults.clear()
        recovery = platform.sync(warehouse)
        assert recovery.status == "success", recovery.error
        requests = max(recovery.requests, 3)
        assert platform.held(warehouse) == platform.expected(list(current.values()))
    # the seed makes crashes and failed runs happen, so recovery is what is tested
    assert crashes >= ROUNDS // 6 and failures >= 1
