"""Consent records and right-to-erasure (deletion) requests.

Known persons (account or CRM contact) decide on email marketing and ads personalization;
some grant and withdraw later. Devices answer the cookie banner (analytics consent, keyed
by anonymous_id). A few persons ask for deletion, naming one or more identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import personas
from .devices import Devices
from .formats import crm_timestamps
from .persons import Persons
from .sampling import group_starts
from .sessions import ALWAYS, NEVER, Sessions
from .strings import lookup, serial
from .world import US_PER_DAY, World

PURPOSES = ("analytics", "email_marketing", "ads_personalization")
STATUSES = ("granted", "withdrawn")
SUBJECTS = ("email", "user_id", "contact_id", "anonymous_id", "phone")
SOURCES = ("cookie_banner", "preference_center", "signup_form", "import")
EMAIL, USER_ID, CONTACT_ID, ANONYMOUS_ID, PHONE = range(5)
COOKIE_BANNER, PREFERENCE_CENTER, SIGNUP_FORM, IMPORT = range(4)
ADS_RATE = 0.55
WITHDRAW_RATE = 0.12  # granted, then withdrawn within the period
DECLINE_RECORD_RATE = 0.5  # declines that leave a `withdrawn` record
COOKIE_RECORD_RATE, COOKIE_GRANT_RATE, COOKIE_WITHDRAW_RATE = 0.8, 0.85, 0.03
DELETION_RATE = 0.002
DELETION_ID_RATE = 0.6


@dataclass(frozen=True)
class Choice:
    """A person-level consent decision and the records it leaves."""

    granted_us: np.ndarray  # NEVER unless granted
    withdrawn_us: np.ndarray  # NEVER unless withdrawn after granting
    records: dict[str, np.ndarray]


def _records(**columns: np.ndarray) -> dict[str, np.ndarray]:
    return {k: np.asarray(v) for k, v in columns.items()}


def choose(
    rng: np.random.Generator,
    world: World,
    persons: Persons,
    since: np.ndarray,
    purpose: int,
    rate: np.ndarray,
) -> Choice:
    """Decisions of known persons on one purpose (rate: grant probability per person)."""
    n = len(persons)
    known = persons.has_account | persons.has_contact
    signed_up = (since != ALWAYS) & (since != NEVER)
    before = world.start_us - (rng.uniform(1, 1000, n) * US_PER_DAY).astype(np.int64)
    decided = np.where(signed_up, since + rng.integers(1_000_000, 5_000_000, n), before)
    granted = known & (rng.random(n) < rate)
    recorded = granted | (known & (rng.random(n) < DECLINE_RECORD_RATE))
    pick = rng.random(n)
    subject = np.select(
        [signed_up, persons.has_contact & (pick < 0.4), persons.has_account & (pick < 0.7)],
        [EMAIL, CONTACT_ID, USER_ID],
        EMAIL,
    )
    source = np.select(
        [subject == CONTACT_ID, subject == USER_ID], [IMPORT, PREFERENCE_CENTER], SIGNUP_FORM
    )
    withdraws = granted & (rng.random(n) < WITHDRAW_RATE)
    earliest = np.maximum(decided, world.start_us) + 3_600_000_000
    withdrawn = earliest + (rng.random(n) * np.maximum(world.end_us - earliest, 0)).astype(np.int64)
    withdraws &= withdrawn < world.end_us
    by_user = persons.has_account & (rng.random(n) < 0.5)
    who = np.flatnonzero(recorded)
    later = np.flatnonzero(withdraws)
    records = _records(
        person=np.r_[who, later],
        subject=np.r_[subject[who], np.where(by_user[later], USER_ID, EMAIL)],
        device=np.full(len(who) + len(later), -1),
        purpose=np.full(len(who) + len(later), purpose),
        granted=np.r_[granted[who], np.zeros(len(later), bool)],
        at=np.r_[decided[who], withdrawn[later]],
        source=np.r_[source[who], np.full(len(later), PREFERENCE_CENTER)],
    )
    return Choice(np.where(granted, decided, NEVER), np.where(withdraws, withdrawn, NEVER), records)


def person_choices(
    rng: np.random.Generator, world: World, persons: Persons, since: np.ndarray
) -> tuple[Choice, Choice]:
    """(email marketing, ads personalization) decisions."""
    email = choose(
        rng,
        world,
        persons,
        since,
        PURPOSES.index("email_marketing"),
        personas.column("email_consent")[persons.persona],
    )
    ads = choose(
        rng,
        world,
        persons,
        since,
        PURPOSES.index("ads_personalization"),
        np.full(len(persons), ADS_RATE),
    )
    return email, ads


def _cookie_records(
    rng: np.random.Generator, world: World, devices: Devices, sessions: Sessions
) -> dict[str, np.ndarray]:
    order = np.lexsort((sessions.start_us, sessions.device))
    first = order[group_starts(sessions.device[order])]
    first = first[~devices.is_kiosk[sessions.device[first]]]
    first = first[rng.random(len(first)) < COOKIE_RECORD_RATE]
    device, start = sessions.device[first], sessions.start_us[first]
    granted = rng.random(len(first)) < COOKIE_GRANT_RATE
    later = granted & (rng.random(len(first)) < COOKIE_WITHDRAW_RATE)
    withdrawn = start + (rng.random(len(first)) * (world.end_us - start)).astype(np.int64)
    at = np.r_[start + rng.integers(2_000_000, 40_000_000, len(first)), withdrawn[later]]
    n = len(at)
    return _records(
        person=devices.owner[np.r_[device, device[later]]],
        subject=np.full(n, ANONYMOUS_ID),
        device=np.r_[device, device[later]],
        purpose=np.full(n, PURPOSES.index("analytics")),
        granted=np.r_[granted, np.zeros(later.sum(), bool)],
        at=at,
        source=np.full(n, COOKIE_BANNER),
    )


def subject_values(
    persons: Persons, devices: Devices, subject: np.ndarray, person: np.ndarray, device: np.ndarray
) -> pa.Array:
    """Identifier values for (subject type, person, device) rows."""
    values = [persons.email, persons.user_id, persons.contact_id]
    looked_up = [lookup(v, np.where(subject == i, person, -1)) for i, v in enumerate(values)]
    looked_up.append(lookup(devices.anonymous_id, np.where(subject == ANONYMOUS_ID, device, -1)))
    looked_up.append(lookup(persons.phone_e164, np.where(subject == PHONE, person, -1)))
    return pc.coalesce(*looked_up)


def consent_columns(
    rng: np.random.Generator,
    world: World,
    persons: Persons,
    devices: Devices,
    sessions: Sessions,
    choices: tuple[Choice, ...],
    chunk: int,
) -> dict[str, pa.Array]:
    """Rows of the consents table."""
    parts = [c.records for c in choices] + [_cookie_records(rng, world, devices, sessions)]
    r = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    city = np.where(r["device"] >= 0, devices.city[r["device"]], persons.city[r["person"]])
    return {
        "consent_id": serial("CNS-", chunk, len(r["at"])),
        "subject_type": lookup(SUBJECTS, r["subject"]),
        "subject_value": subject_values(persons, devices, r["subject"], r["person"], r["device"]),
        "purpose": lookup(PURPOSES, r["purpose"]),
        "status": lookup(STATUSES, (~r["granted"]).astype(int)),
        "recorded_at": crm_timestamps(rng, world, r["at"], city),
        "source": lookup(SOURCES, r["source"]),
    }


def deletion_columns(
    rng: np.random.Generator,
    world: World,
    persons: Persons,
    devices: Devices,
    primary_device: np.ndarray,
    chunk: int,
) -> dict[str, pa.Array]:
    """Rows of deletion_requests: one per identifier named in a request."""
    known = persons.has_account | persons.has_contact
    requester = np.flatnonzero(
        (persons.online | known) & (rng.random(len(persons)) < DELETION_RATE)
    )
    available = np.stack(
        [
            known[requester],
            (known & persons.has_phone)[requester],
            persons.has_account[requester],
            primary_device[requester] >= 0,
        ],
        axis=1,
    )
    named = available & (rng.random(available.shape) < DELETION_ID_RATE)
    first_available = np.argmax(available, axis=1)
    named[np.arange(len(requester)), first_available] |= ~named.any(axis=1)
    request, column = np.nonzero(named)
    subject = np.array([EMAIL, PHONE, USER_ID, ANONYMOUS_ID])[column]
    person = requester[request]
    requested = world.start_us + (rng.random(len(requester)) * (world.end_us - world.start_us))
    return {
        "request_id": lookup(serial("DSR-", chunk, len(requester)), request),
        "subject_type": lookup(SUBJECTS, subject),
        "subject_value": subject_values(persons, devices, subject, person, primary_device[person]),
        "requested_at": crm_timestamps(
            rng, world, requested.astype(np.int64)[request], persons.city[person]
        ),
    }
