"""Ground truth for tests: who each generated person is, and which identifiers belong to
whom (normalized values; shared or over-linked identifiers have no person)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import personas
from .crm import History
from .devices import Devices
from .persons import Persons
from .sessions import NONE, Sessions
from .strings import lookup
from .world import AGENT_USER_ID, QA_EMAIL, World

PERSONS_SCHEMA = pa.schema(
    [
        ("person_key", pa.int64()),
        ("persona", pa.string()),
        ("is_identified", pa.bool_()),
        ("has_account", pa.bool_()),
        ("has_contact", pa.bool_()),
        ("has_events", pa.bool_()),
        ("user_id", pa.string()),
        ("email", pa.string()),
        ("phone", pa.string()),
        ("contact_id", pa.string()),
        ("country", pa.string()),
        ("city", pa.string()),
        ("household_partner_key", pa.int64()),
        ("devices", pa.int32()),
        ("sessions", pa.int32()),
        ("orders", pa.int32()),
        ("history_orders", pa.int32()),
        ("purchase_rate_per_30d", pa.float64()),
        ("dropout_probability", pa.float64()),
        ("is_lapsed", pa.bool_()),
    ]
)
IDENTIFIERS_SCHEMA = pa.schema(
    [
        ("identifier_type", pa.string()),
        ("identifier_value", pa.string()),
        ("person_key", pa.int64()),
        ("is_shared", pa.bool_()),
    ]
)


def persons_table(
    world: World,
    persons: Persons,
    devices: Devices,
    sessions: Sessions,
    order_person: np.ndarray,
    history: History,
) -> pa.Table:
    """One row per person of the chunk. `orders` counts orders placed in the period
    (order_person), `history_orders` those before it; purchase_rate_per_30d and
    dropout_probability are the person's parameters of the order history (null for persons
    without one), is_lapsed whether they stopped buying for good before the period."""
    n = len(persons)
    logged_in = np.zeros(n, dtype=bool)
    logged_in[sessions.person[(sessions.auth != NONE) | sessions.logged_in]] = True
    orders = np.bincount(order_person, minlength=n)
    partner = persons.household_partner
    geo = world.geography
    return pa.table(
        {
            "person_key": persons.key,
            "persona": lookup(personas.NAMES, persons.persona),
            "is_identified": logged_in | persons.has_contact | (orders > 0),
            "has_account": persons.has_account,
            "has_contact": persons.has_contact,
            "has_events": persons.online,
            "user_id": persons.user_id,
            "email": persons.email,
            "phone": persons.phone_e164,
            "contact_id": persons.contact_id,
            "country": lookup(geo.country_code, persons.country),
            "city": lookup(geo.city, persons.city),
            "household_partner_key": pa.array(
                np.where(partner >= 0, persons.key[partner], 0), mask=partner < 0
            ),
            "devices": np.bincount(devices.owner[devices.owner >= 0], minlength=n).astype(np.int32),
            "sessions": np.bincount(sessions.person, minlength=n).astype(np.int32),
            "orders": orders.astype(np.int32),
            "history_orders": np.bincount(history.person, minlength=n).astype(np.int32),
            "purchase_rate_per_30d": pa.array(history.rate, from_pandas=True),
            "dropout_probability": pa.array(history.dropout, from_pandas=True),
            "is_lapsed": history.lapsed,
        },
        schema=PERSONS_SCHEMA,
    )


def identifiers_table(persons: Persons, devices: Devices, known: np.ndarray) -> pa.Table:
    """Identifiers of the chunk's persons; `known` marks persons whose email/phone/ids can
    appear in the raw data. Household-shared devices get no person."""
    own = np.flatnonzero(~devices.is_kiosk)
    who = np.flatnonzero(known)
    phone = who[persons.has_phone[who]]
    parts = [
        (
            "anonymous_id",
            devices.anonymous_id.take(pa.array(own)),
            np.where(devices.is_shared[own], -1, devices.owner[own]),
        ),
        ("user_id", persons.user_id.take(pa.array(who)), who),
        ("email", persons.email.take(pa.array(who)), who),
        ("phone", persons.phone_e164.take(pa.array(phone)), phone),
        ("contact_id", persons.contact_id.take(pa.array(who)), who),
    ]
    tables = []
    for kind, values, person in parts:
        keep = values.is_valid().to_numpy(zero_copy_only=False)
        key = np.where(person >= 0, persons.key[np.maximum(person, 0)], 0)
        tables.append(
            pa.table(
                {
                    "identifier_type": lookup([kind], np.zeros(int(keep.sum()), dtype=np.int64)),
                    "identifier_value": values.filter(pa.array(keep)),
                    "person_key": pa.array(key[keep], mask=(person < 0)[keep]),
                    "is_shared": (person < 0)[keep],
                },
                schema=IDENTIFIERS_SCHEMA,
            )
        )
    return pa.concat_tables(tables)


def shared_identifiers(world: World) -> pa.Table:
    """The world-wide over-linked identifiers: store kiosks, support agent, QA email."""
    rows = [("anonymous_id", k) for k in world.kiosk_anonymous_id] + [
        ("user_id", AGENT_USER_ID),
        ("email", QA_EMAIL),
    ]
    return pa.table(
        {
            "identifier_type": [r[0] for r in rows],
            "identifier_value": [r[1] for r in rows],
            "person_key": pa.nulls(len(rows), pa.int64()),
            "is_shared": [True] * len(rows),
        },
        schema=IDENTIFIERS_SCHEMA,
    )
