"""CRM and shop tables: contacts, orders and order lines (web orders from the sessions that
completed a checkout, plus offline shop orders of CRM contacts), and the product table.

Amounts are in the order currency (the contact's country's currency), as decimal strings.
Some contacts and orders appear twice: an older version and a later update.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import personas
from .catalogue import Catalogue
from .defects import Draft
from .events import WebOrders
from .formats import booleans, crm_timestamps, phones
from .geography import POSTAL_POOL
from .persons import FAMILY, GIVEN, Persons
from .sampling import choice
from .sessions import ALWAYS, NEVER, Sessions
from .strings import decimals, integers, iso_dates, lookup, serial, where
from .world import QA_EMAIL, US_PER_DAY, World

INCOME_BANDS = ("<25k", "25k-50k", "50k-75k", "75k-100k", "100k-150k", "150k+")
INCOME_PROBS = (0.12, 0.22, 0.24, 0.18, 0.14, 0.10)
OCCUPATIONS = (
    "engineer",
    "teacher",
    "nurse",
    "student",
    "designer",
    "sales",
    "manager",
    "retired",
    "self-employed",
    "consultant",
    "developer",
    "chef",
    "lawyer",
    "marketing",
    "healthcare",
)
GENDERS = ("female", "male", "non_binary", "undisclosed", "F", "M", "Female", "Male")
STATUSES = ("completed", "pending", "cancelled", "refunded")
STATUS_PROBS = (0.86, 0.03, 0.06, 0.05)
# code, share of subtotal; FREESHIP waives shipping
DISCOUNT_CODES = (
    ("WELCOME10", 0.10),
    ("AUTUMN15", 0.15),
    ("VIP20", 0.20),
    ("ECO5", 0.05),
    ("FREESHIP", 0.0),
)
FREE_SHIPPING_USD_CENTS = 5_000
SHIPPING_USD_CENTS = 499
SUPERSEDED_CONTACT_RATE, SUPERSEDED_ORDER_RATE = 0.05, 0.06
QA_ORDER_SHARE, MIN_QA_ORDERS = 0.005, 5
STORE_HOURS = (10, 19)


@dataclass(frozen=True)
class Orders:
    """Order header values needed by the tracks (revenue per web order) and the drafts."""

    orders: Draft
    items: Draft
    person: np.ndarray  # order index -> person (web orders first, then shop orders)
    web_revenue: pa.Array  # web order index -> total as decimal string
    web_currency: pa.Array


def contacts_draft(
    rng: np.random.Generator, world: World, persons: Persons, since: np.ndarray
) -> Draft:
    """One row per contact, plus an older version for some (same contact_id)."""
    who = np.flatnonzero(persons.has_contact)
    n, geo = len(who), world.geography
    persona = persons.persona[who]
    age_low, age_high = personas.column("age")[persona].T
    age_days = ((age_low + rng.random(n) * (age_high - age_low)) * 365.25).astype(np.int64)
    birth = np.datetime64(world.start_date, "D").astype(np.int64) - age_days
    gender = np.where(persons.is_female_name[who], 0, 1)
    gender = np.where(rng.random(n) < 0.07, rng.integers(2, 4, n), gender)
    free_text = rng.random(n) < 0.05
    gender = np.where(free_text & (gender < 2), gender + 4 + 2 * rng.integers(0, 2, n), gender)
    income = np.clip(
        choice(rng, np.array(INCOME_PROBS), n)
        + personas.column("income_shift")[persona].astype(int),
        0,
        5,
    )
    signed_up = (since[who] != ALWAYS) & (since[who] != NEVER)
    before = world.start_us - ((30 + rng.random(n) * 1500) * US_PER_DAY).astype(np.int64)
    created = np.where(signed_up, since[who] + rng.integers(1_000_000, 30_000_000, n), before)
    old = rng.random(n) < SUPERSEDED_CONTACT_RATE
    first_update = created + 3_600_000_000
    updated = first_update + (rng.random(n) * (world.end_us - first_update)).astype(np.int64)
    updated = np.where(old | (rng.random(n) < 0.5), updated, created)
    city = persons.city[who]
    phone = phones(
        rng,
        world,
        lookup(persons.phone_national, who),
        persons.country[who],
        {"US": (3, 4, 5), "CA": (3, 4, 5), "GB": (6,)},
    )
    columns = {
        "contact_id": lookup(persons.contact_id, who),
        "email": where(rng.random(n) < 0.95, lookup(persons.email, who), None),
        "phone": where(rng.random(n) < 0.85, phone, None),
        "first_name": lookup(GIVEN, persons.given[who]),
        "last_name": lookup(FAMILY, persons.family[who]),
        "birth_date": iso_dates(birth),
        "gender": where(rng.random(n) < 0.95, lookup(GENDERS, gender), None),
        "city": lookup(geo.city, city),
        "region": lookup(geo.region, city),
        "country": lookup(geo.country_code, geo.city_country[city]),
        "postal_code": lookup(
            geo.postal_codes, city * POSTAL_POOL + rng.integers(0, POSTAL_POOL, n)
        ),
        "income_band": where(rng.random(n) < 0.9, lookup(INCOME_BANDS, income), None),
        "occupation": where(
            rng.random(n) < 0.85, lookup(OCCUPATIONS, rng.integers(0, len(OCCUPATIONS), n)), None
        ),
        "created_at": crm_timestamps(rng, world, created, city),
        "updated_at": crm_timestamps(rng, world, updated, city),
    }
    olds = np.flatnonzero(old)
    previous = {k: v.take(pa.array(olds)) for k, v in columns.items()}
    previous["phone"] = pa.nulls(len(olds), pa.string())
    previous["occupation"] = lookup(OCCUPATIONS, rng.integers(0, len(OCCUPATIONS), len(olds)))
    previous["updated_at"] = crm_timestamps(rng, world, created[olds], city[olds])
    merged = {k: pa.concat_arrays([v, previous[k]]) for k, v in columns.items()}
    return Draft(merged, np.r_[old, np.ones(len(olds), bool)], superseded=len(olds))


def _store_orders(rng: np.random.Generator, world: World, persons: Persons) -> tuple:
    rate = personas.column("store_orders_per_30d")[persons.persona] * world.days_span
    count = np.where(persons.has_contact, rng.poisson(rate), 0)
    person = np.repeat(np.arange(len(persons)), count)
    day = rng.integers(0, world.days, len(person))
    hour = rng.integers(*STORE_HOURS, len(person))
    local = day * US_PER_DAY + hour * 3_600_000_000 + rng.integers(0, 3_600_000_000, len(person))
    offset = world.geography.city_offset_minutes[persons.city[person]] * 60_000_000
    at = np.clip(world.start_us + local - offset, world.start_us, world.end_us - 1)
    lines = 1 + (rng.random(len(person)) < 0.4) + (rng.random(len(person)) < 0.15)
    line_order = np.repeat(np.arange(len(person)), lines)
    product = world.catalogue.sample(rng, persons.persona[person[line_order]])
    return person, at, line_order, product, 1 + (rng.random(len(line_order)) < 0.2)


def orders_drafts(
    rng: np.random.Generator,
    world: World,
    persons: Persons,
    sessions: Sessions,
    web: WebOrders,
    chunk: int,
) -> Orders:
    """Orders (web first, then shop) and their lines, with amounts in local currency."""
    store_person, store_at, store_line, store_product, store_qty = _store_orders(
        rng, world, persons
    )
    n_web = len(web.session)
    person = np.r_[sessions.person[web.session], store_person]
    n = len(person)
    ordered = np.r_[web.ordered_us, store_at]
    online_user = np.r_[web.logged_in, np.zeros(len(store_person), bool)]
    line_order = np.r_[web.line_order, n_web + store_line]
    product = np.r_[web.line_product, store_product]
    quantity = np.r_[web.line_quantity, store_qty]

    country = persons.country[person]
    geo = world.geography
    rate = np.array([world.contract.currencies[c] for c in geo.currency])[country]
    usd = world.catalogue.price_cents[product]
    unit = np.rint(usd * rate[line_order]).astype(np.int64)
    subtotal = np.bincount(line_order, unit * quantity, minlength=n).astype(np.int64)
    subtotal_usd = np.bincount(line_order, usd * quantity, minlength=n)
    persona = persons.persona[person]
    uses_code = rng.random(n) < personas.column("discount_rate")[persona]
    code = np.where(uses_code, rng.integers(0, len(DISCOUNT_CODES), n), -1)
    share = np.array([s for _, s in DISCOUNT_CODES] + [0.0])[code]
    discount = np.rint(subtotal * share).astype(np.int64)
    free_shipping = (subtotal_usd >= FREE_SHIPPING_USD_CENTS) | (code == len(DISCOUNT_CODES) - 1)
    free_shipping |= np.arange(n) >= n_web
    shipping = np.where(free_shipping, 0, np.rint(SHIPPING_USD_CENTS * rate)).astype(np.int64)
    tax = np.rint((subtotal - discount) * geo.tax_rate[country]).astype(np.int64)
    total = subtotal - discount + shipping + tax

    status = np.where(np.arange(n) < n_web, choice(rng, np.array(STATUS_PROBS), n), 0)
    delay_max = np.array([600, 60, 2 * 86_400, 14 * 86_400])[status] * 1_000_000
    updated = np.minimum(
        ordered + 300_000_000 + (rng.random(n) * delay_max).astype(np.int64), world.end_us - 1
    )
    qa = np.zeros(n, dtype=bool)
    qa[rng.permutation(n_web)[: min(n_web, max(MIN_QA_ORDERS, int(QA_ORDER_SHARE * n_web)))]] = True
    email = where(qa, QA_EMAIL, lookup(persons.email, person))
    email = where((np.arange(n) >= n_web) & (rng.random(n) < 0.4), None, email)
    member = np.r_[web.logged_in, np.ones(len(store_person), bool)]
    city = persons.city[person]
    order_ids = serial("ORD-", chunk, n)
    columns = {
        "order_id": order_ids,
        "contact_id": lookup(persons.contact_id, np.where(member, person, -1)),
        "user_id": lookup(persons.user_id, np.where(online_user, person, -1)),
        "email": email,
        "ordered_at": crm_timestamps(rng, world, ordered, city),
        "status": lookup(STATUSES, status),
        "subtotal": decimals(subtotal),
        "discount_amount": decimals(discount),
        "shipping_amount": decimals(shipping),
        "tax_amount": decimals(tax),
        "total": decimals(total),
        "currency": lookup(geo.currency, country),
        "discount_code": lookup([c for c, _ in DISCOUNT_CODES], code),
        "updated_at": crm_timestamps(rng, world, updated, city),
    }
    old = (status != 1) & (np.arange(n) < n_web) & (rng.random(n) < SUPERSEDED_ORDER_RATE)
    olds = np.flatnonzero(old)
    previous = {k: v.take(pa.array(olds)) for k, v in columns.items()}
    previous["status"] = lookup(STATUSES, np.ones(len(olds), int))
    previous["updated_at"] = crm_timestamps(
        rng, world, ordered[olds] + rng.integers(0, 60_000_000, len(olds)), city[olds]
    )
    merged = {k: pa.concat_arrays([v, previous[k]]) for k, v in columns.items()}
    catalogue = world.catalogue
    items = {
        "order_item_id": serial("OI-", chunk, len(line_order)),
        "order_id": lookup(order_ids, line_order),
        "product_id": lookup(catalogue.product_id, product),
        "category": lookup(catalogue.categories, catalogue.category[product]),
        "quantity": integers(quantity),
        "unit_price": decimals(unit),
    }
    return Orders(
        orders=Draft(merged, np.r_[old, np.ones(len(olds), bool)], superseded=len(olds)),
        items=Draft(items, np.zeros(len(line_order), bool), parent=line_order),
        person=person,
        web_revenue=decimals(total[:n_web]),
        web_currency=lookup(geo.currency, country[:n_web]),
    )


def product_columns(rng: np.random.Generator, catalogue: Catalogue) -> dict[str, pa.Array]:
    """Rows of the raw products table (prices as decimal strings, mixed boolean spellings)."""
    return {
        "product_id": pa.array(catalogue.product_id),
        "name": pa.array(catalogue.name),
        "category": lookup(catalogue.categories, catalogue.category),
        "brand": pa.array(catalogue.brand),
        "price": decimals(catalogue.price_cents),
        "is_eco_friendly": booleans(rng, catalogue.eco),
    }
