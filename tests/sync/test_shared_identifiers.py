"""Persons who share an email or a phone hold one record at a platform between them. Membership
is tracked per platform key, so a key leaves the platform only when no current member holds it:
two, three and many persons sharing keys join and leave in every order, and after every sync the
platform holds exactly the keys of the current members."""

from __future__ import annotations

import random

import pytest

from tests.sync.conftest import person

CONTACT_KEYED = ["meta_ads", "google_ads", "mailchimp", "klaviyo", "hubspot"]


def sharing_three() -> list[dict]:
    """A and B share an email (with their own names and phones); C shares B's phone."""
    a = person(1) | {"email": "shared@example.com", "phone_e164": "+16505550101"}
    b = person(2) | {"email": "shared@example.com", "first_name": "Other"}
    c = person(3) | {"phone_e164": b["phone_e164"], "country_code": b["country_code"]}
    return [a, b, c]


def every_transition(count: int) -> list[frozenset[int]]:
    """Member sets visiting every move of one person joining or leaving, from every set
    (an Eulerian circuit of the directed hypercube), starting and ending empty."""
    edges = {
        members: [members ^ {i} for i in range(count)]
        for members in (
            frozenset(i for i in range(count) if mask >> i & 1) for mask in range(2**count)
        )
    }
    stack, circuit = [frozenset()], []
    while stack:
        if edges[stack[-1]]:
            stack.append(edges[stack[-1]].pop())
        else:
            circuit.append(stack.pop())
    return circuit[::-1]


@pytest.mark.parametrize("name", CONTACT_KEYED)
def test_persons_sharing_keys_join_and_leave_in_every_order(name, warehouse, connect):
    platform = connect(name)
    people = sharing_three()
    walk = every_transition(len(people))
    assert len(walk) == 3 * 2**3 + 1
    for step, members in enumerate(walk):
        current = [people[i] for i in sorted(members)]
        warehouse.set_members(name, current)
        run = platform.sync(warehouse)
        assert run.status == "success", (step, run.error)
        assert platform.held(warehouse) == platform.expected(current), (step, sorted(members))


@pytest.mark.parametrize("name", CONTACT_KEYED)
def test_two_persons_with_one_email_keep_each_other_on_the_platform(name, warehouse, connect):
    platform = connect(name)
    a, b, _ = sharing_three()
    warehouse.set_members(name, [a, b])
    platform.sync(warehouse)
    warehouse.set_members(name, [b])
    run = platform.sync(warehouse)
    assert (run.status, run.removed) == ("success", 1)
    assert platform.expected([b]) <= platform.held(warehouse)
    warehouse.set_members(name, [])
    platform.sync(warehouse)
    assert platform.held(warehouse) == set()


@pytest.mark.parametrize("name", CONTACT_KEYED)
def test_many_persons_sharing_a_few_keys(name, warehouse, connect):
    rng = random.Random(f"shared-{name}")
    emails = [f"family{i}@example.com" for i in range(4)]
    phones = ["+16505550111", "+16505550112", "+16505550113"]
    people = [
        person(i) | {"email": rng.choice(emails), "phone_e164": rng.choice(phones),
                     "country_code": "US"}
        for i in range(20)
    ]  # fmt: skip
    platform = connect(name)
    members: set[int] = set()
    for step in range(25):
        for i in rng.sample(range(len(people)), k=rng.randint(1, 6)):
            members ^= {i}
        current = [people[i] for i in sorted(members)]
        warehouse.set_members(name, current)
        assert platform.sync(warehouse).status == "success"
        assert platform.held(warehouse) == platform.expected(current), step


def test_a_removal_names_only_the_keys_nobody_else_holds(warehouse, connect):
    """Meta: A leaves while B shares A's email: only A's own phone goes out, blanked of the
    email and of the name and address columns that could match B."""
    platform = connect("meta_ads")
    a, b, _ = sharing_three()
    warehouse.set_members("meta_ads", [a, b])
    platform.sync(warehouse)
    removals = []
    original = platform.fake.handle

    def recording(method, path, query, body):
        if method == "DELETE":
            removals.extend(body["payload"]["data"])
        return original(method, path, query, body)

    platform.fake.handle = recording
    warehouse.set_members("meta_ads", [b])
    platform.sync(warehouse)
    phone_hash = platform.destination().prepare(a).identity["data"][1]
    assert removals == [["", phone_hash, "", "", "", ""]]


def test_members_sharing_an_identity_go_out_once_per_batch(warehouse, connect):
    """HubSpot refuses a batch naming one email twice."""
    platform = connect("hubspot")
    a, b, _ = sharing_three()
    warehouse.set_members("hubspot", [a, b, person(5)])
    run = platform.sync(warehouse)
    assert (run.status, run.added) == ("success", 3)
    upserts = [size for _, path, size in platform.fake.requests if path.endswith("/upsert")]
    assert upserts == [2]
