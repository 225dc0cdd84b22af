"""One chunk of users from persons to finished raw tables, defect counts and truth rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import personas
from .crm import contact_created, contacts_draft, orders_drafts, purchase_history
from .defects import REJECTED_ORDER_KINDS, Draft, inject
from .devices import build_devices
from .events import build_events
from .newsletters import email_activity
from .persons import build_persons
from .privacy import consent_columns, deletion_columns, person_choices
from .sampling import chunk_rngs
from .segment import segment_drafts
from .sessions import account_since, base_sessions, combine, finalize, signup_times
from .surveys import survey_columns
from .truth import identifiers_table, persons_table
from .world import World


@dataclass(frozen=True)
class ChunkResult:
    """Everything a chunk contributes to the output."""

    tables: dict[str, pa.Table]
    defects: dict[str, dict[str, int]]
    personas: np.ndarray  # persons per persona code
    truth_persons: pa.Table
    truth_identifiers: pa.Table


def _plain(columns: dict[str, pa.Array]) -> Draft:
    return Draft(columns, np.zeros(len(next(iter(columns.values()))), dtype=bool))


def build_chunk(world: World, chunk: int, users: int) -> ChunkResult:
    """Generate chunk number `chunk` of a run with `users` online users."""
    rng, defect_rng = chunk_rngs(world.seed, chunk)
    persons = build_persons(rng, world, chunk, users)
    devices, usage = build_devices(rng, world, persons, chunk)
    base = base_sessions(rng, world, persons, devices, usage, signup_times(rng, world, persons))
    since = account_since(persons, base)
    email_choice, ads_choice = person_choices(rng, world, persons, since)
    mail, clicks = email_activity(
        rng, world, persons, usage, since, email_choice.granted_us, email_choice.withdrawn_us
    )
    sessions = finalize(rng, world, persons, usage, combine(base, clicks), since)
    events, web_orders = build_events(rng, world, devices, sessions, persons.persona)
    created = contact_created(rng, world, persons, since)
    history = purchase_history(rng, world, persons, created)
    orders = orders_drafts(rng, world, persons, sessions, web_orders, created, history, chunk)
    n_web = len(web_orders.session)
    drafts = segment_drafts(
        rng,
        world,
        persons,
        devices,
        sessions,
        events,
        mail,
        orders.orders.columns["order_id"][:n_web],
        orders.web_revenue,
        orders.web_currency,
        chunk,
    )
    del events  # the biggest intermediate; the drafts hold what is left of it
    drafts |= {
        "contacts": contacts_draft(rng, world, persons, created),
        "orders": orders.orders,
        "consents": _plain(
            consent_columns(
                rng, world, persons, devices, sessions, (email_choice, ads_choice), chunk
            )
        ),
        "survey_responses": _plain(survey_columns(rng, world, persons, since, chunk)),
        "deletion_requests": _plain(
            deletion_columns(rng, world, persons, devices, usage.primary_device(), chunk)
        ),
    }

    tables, defects = {}, {}
    for name in list(drafts):
        draft = drafts.pop(name)  # let replaced columns go as soon as possible
        tables[name], defects[name], hit = inject(defect_rng, world, name, draft, chunk)
        if name == "orders":
            rejected = np.concatenate([hit[k] for k in REJECTED_ORDER_KINDS])
            items = orders.items
            keep = ~np.isin(items.parent, rejected)
            # items of an order with an inconsistent subtotal stay valid, so it is flagged
            flagged = np.isin(items.parent, hit["inconsistent_order_items"])
            kept = Draft(
                {k: v.filter(pa.array(keep)) for k, v in items.columns.items()},
                (items.protected | flagged)[keep],
            )
            tables["order_items"], defects["order_items"], _ = inject(
                defect_rng, world, "order_items", kept, chunk
            )

    known = (
        persons.has_account
        | persons.has_contact
        | (np.bincount(orders.person, minlength=len(persons)) > 0)
    )
    return ChunkResult(
        tables=tables,
        defects=defects,
        personas=np.bincount(persons.persona, minlength=len(personas.NAMES)),
        truth_persons=persons_table(
            world, persons, devices, sessions, orders.person[: orders.in_period], history
        ),
        truth_identifiers=identifiers_table(persons, devices, known),
    )
