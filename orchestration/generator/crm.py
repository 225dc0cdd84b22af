"""CRM and shop tables: contacts, orders and order lines, and the product table.

Orders come from three places and share one path for amounts, statuses and lines:
- web orders in the period, from the sessions that completed a checkout;
- shop orders in the period, placed in store hours by CRM contacts who are still customers
  (never before the contact exists);
- the order history before the period, for contacts created before it: from the contact's
  creation to the period start each person buys BG/NBD-like (personas.PARAMETERS
  history_*): often a first order creates the contact, then, while still a customer, orders
  follow a Poisson process with a Gamma-distributed person rate, and after each order the
  person lapses for good with a Beta-distributed person probability. One-time buyers order
  once and lapse; new sign-ups have no history. History orders are web orders (logged in)
  or shop orders like those in the period, so the table holds years of purchases with
  one-order customers, frequent buyers, long-lapsed and still active customers. Persons who
  lapsed place no shop orders in the period (their web orders follow their sessions).

Amounts are in the order currency (the contact's country's currency), as decimal strings.
Some contacts and web orders appear twice: an older version and a later update.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import personas
from .catalogue import Catalogue
from .defects import Draft
from .events import WebOrders
from .formats import booleans, crm_timestamps, phones
from .geography import POSTAL_POOL
from .persons import FAMILY, GIVEN, Persons
from .sampling import categorical, choice, segmented_cumsum
from .sessions import ALWAYS, HOURS, NEVER, US_PER_H, Sessions
from .strings import decimals, integers, iso_dates, lookup, serial, where
from .world import DEVICE_TYPES, QA_EMAIL, US_PER_DAY, World

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
COMPLETED, PENDING = 0, 1
STATUS_PROBS = (0.86, 0.03, 0.06, 0.05)  # web orders
SHOP_STATUS_PROBS = (0.95, 0.0, 0.0, 0.05)  # paid at the till; some are returned
SETTLED_AFTER_DAYS = 7  # orders placed this long before the period are no longer pending
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
SIGNUP_ORDER_MINUTES = (2, 45)  # a first order comes this long after the contact's creation
US_PER_MINUTE = 60_000_000


@dataclass(frozen=True)
class History:
    """Each person's purchasing before the period, and the orders it produced."""

    rate: np.ndarray  # orders per 30 days while a customer; nan without a history
    dropout: np.ndarray  # chance to lapse after an order; nan without a history
    relative_rate: np.ndarray  # rate / persona mean (1 without a history)
    lapsed: np.ndarray  # stopped buying for good before the period
    person: np.ndarray  # history order -> person (sorted by person, then time)
    ordered_us: np.ndarray
    web: np.ndarray  # placed on the site, logged in (else in the shop)


@dataclass(frozen=True)
class Orders:
    """Order header values needed by the tracks (revenue per web order) and the drafts."""

    orders: Draft
    items: Draft
    person: np.ndarray  # order index -> person (web, shop, then history orders)
    in_period: int  # the first orders are those placed in the period
    web_revenue: pa.Array  # web order index -> total as decimal string
    web_currency: pa.Array


def contact_created(
    rng: np.random.Generator, world: World, persons: Persons, since: np.ndarray
) -> np.ndarray:
    """When each person's CRM contact was created (UTC µs, NEVER without a contact): new
    sign-ups seconds after signing up, everybody else 30 to 1530 days before the period."""
    n = len(persons)
    signed_up = (since != ALWAYS) & (since != NEVER)
    before = world.start_us - ((30 + rng.random(n) * 1500) * US_PER_DAY).astype(np.int64)
    after_signup = np.where(signed_up, since, 0) + rng.integers(1_000_000, 30_000_000, n)
    return np.where(persons.has_contact, np.where(signed_up, after_signup, before), NEVER)


def contacts_draft(
    rng: np.random.Generator, world: World, persons: Persons, created: np.ndarray
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
    created = created[who]
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
    typed_nationally = pc.invert(pc.starts_with(merged["phone"], "+"))
    return Draft(
        merged,
        np.r_[old, np.ones(len(olds), bool)],
        superseded=len(olds),
        repaired_phone=pc.fill_null(typed_nationally, False).to_numpy(zero_copy_only=False),
    )


def _offset_us(world: World, city: np.ndarray) -> np.ndarray:
    return world.geography.city_offset_minutes[city].astype(np.int64) * 60_000_000


def _local_day(world: World, city: np.ndarray, utc_us: np.ndarray) -> np.ndarray:
    """Local day of utc_us in the city, counted from the period start (negative before)."""
    return (utc_us - world.start_us + _offset_us(world, city)) // US_PER_DAY


def _local_time(
    world: World, city: np.ndarray, day: np.ndarray, time_of_day: np.ndarray
) -> np.ndarray:
    """UTC µs of a local time of day (µs) on a local day of the city."""
    return world.start_us + day * US_PER_DAY + time_of_day - _offset_us(world, city)


def _store_time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(*STORE_HOURS, n) * US_PER_H + rng.integers(0, US_PER_H, n)


def _web_time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    hour = categorical(rng, HOURS, rng.integers(0, len(DEVICE_TYPES), n))
    return hour * US_PER_H + rng.integers(0, US_PER_H, n)


def purchase_history(
    rng: np.random.Generator, world: World, persons: Persons, created: np.ndarray
) -> History:
    """Orders between the creation of contacts created before the period and its start.

    Per person: a rate (Gamma around the persona mean) and a chance to lapse after each
    order (Beta around the persona mean). A first order may come with the contact's
    creation; then the person orders as a Poisson process until the order after which they
    lapse. The Poisson orders are drawn as the first order statistics of the orders an
    immortal customer would place in the span (exponential spacings), so only the orders
    placed are drawn. Shop orders fall in store hours, web orders at usual web hours."""
    n, persona = len(persons), persons.persona
    mean_rate, shape = personas.column("history_rate")[persona].T
    rate = mean_rate * rng.gamma(shape, 1.0 / shape)
    mean_drop, strength = personas.column("history_dropout")[persona].T
    certain = mean_drop >= 1.0
    dropout = np.where(
        certain,
        1.0,
        rng.beta(mean_drop * strength, np.where(certain, 1.0, (1.0 - mean_drop) * strength)),
    )
    has = persons.has_contact & (created < world.start_us)
    created = np.where(has, created, world.start_us)
    signup = has & (rng.random(n) < personas.column("history_signup_order")[persona])
    low, high = SIGNUP_ORDER_MINUTES
    signup_at = created + rng.integers(low * US_PER_MINUTE, high * US_PER_MINUTE, n)
    # orders up to and including the one after which the person lapses
    budget = rng.geometric(np.clip(dropout, 1e-9, 1.0))
    origin = np.where(signup, signup_at, created)  # the Poisson orders follow this
    span = np.where(has, world.start_us - origin, 0)
    immortal = rng.poisson(rate * span / (30 * US_PER_DAY))
    count = np.where(has, np.minimum(immortal, budget - signup), 0)
    lapsed = has & (signup + count >= budget)

    person = np.repeat(np.arange(n), count)
    gaps = rng.exponential(1.0, len(person))
    rest = rng.gamma(immortal - count + 1.0, 1.0)
    scale = span / (np.bincount(person, gaps, minlength=n) + rest)
    at = origin[person] + (segmented_cumsum(gaps, person) * scale[person]).astype(np.int64)

    first = np.flatnonzero(signup)
    person = np.r_[first, person]
    at = np.r_[signup_at[first], at]
    is_signup = np.arange(len(person)) < len(first)
    m = len(person)
    web = persons.has_account[person] & (
        rng.random(m) < personas.column("history_web_share")[persona[person]]
    )
    city = persons.city[person]
    time_of_day = np.where(web, _web_time_of_day(rng, m), _store_time_of_day(rng, m))
    placed = _local_time(world, city, _local_day(world, city, at), time_of_day)
    at = np.where(is_signup & web, at, placed)
    at = np.where(at <= created[person], at + US_PER_DAY, at)
    at = np.where(at >= world.start_us, at - US_PER_DAY, at)
    order = np.lexsort((at, person))
    mean = np.where(has, mean_rate, 0.0)
    return History(
        rate=np.where(has, rate, np.nan),
        dropout=np.where(has, dropout, np.nan),
        relative_rate=np.where(mean > 0, rate / np.where(mean > 0, mean, 1.0), 1.0),
        lapsed=lapsed,
        person=person[order],
        ordered_us=at[order],
        web=web[order],
    )


def _shop_orders(
    rng: np.random.Generator, world: World, persons: Persons, created: np.ndarray, history: History
) -> tuple[np.ndarray, np.ndarray]:
    """Shop orders in the period of contacts who have not lapsed: (person, UTC µs), in
    store hours, from the local day after the contact's creation."""
    city = persons.city
    first_day = _local_day(world, city, np.where(persons.has_contact, created, world.end_us)) + 1
    first_day = np.clip(first_day, 0, world.days)
    rate = (
        personas.column("store_orders_per_30d")[persons.persona]
        * history.relative_rate
        * (world.days - first_day)
        / 30.0
    )
    count = np.where(persons.has_contact & ~history.lapsed, rng.poisson(rate), 0)
    person = np.repeat(np.arange(len(persons)), count)
    day = rng.integers(first_day[person], world.days)
    at = _local_time(world, city[person], day, _store_time_of_day(rng, len(person)))
    return person, np.clip(at, world.start_us, world.end_us - 1)


def _lines(
    rng: np.random.Generator, world: World, persona: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lines of orders placed without a tracked session: (order, product, quantity)."""
    n = len(persona)
    lines = 1 + (rng.random(n) < 0.4) + (rng.random(n) < 0.15)
    line_order = np.repeat(np.arange(n), lines)
    product = world.catalogue.sample(rng, persona[line_order])
    return line_order, product, 1 + (rng.random(len(line_order)) < 0.2)


def orders_drafts(
    rng: np.random.Generator,
    world: World,
    persons: Persons,
    sessions: Sessions,
    web: WebOrders,
    created: np.ndarray,
    history: History,
    chunk: int,
) -> Orders:
    """Orders (web and shop orders in the period, then the history) and their lines, with
    amounts in local currency."""
    shop_person, shop_at = _shop_orders(rng, world, persons, created, history)
    n_web, n_shop = len(web.session), len(shop_person)
    drawn = np.r_[shop_person, history.person]  # orders whose lines are drawn here
    drawn_line, drawn_product, drawn_qty = _lines(rng, world, persons.persona[drawn])
    person = np.r_[sessions.person[web.session], drawn]
    n = len(person)
    ordered = np.r_[web.ordered_us, shop_at, history.ordered_us]
    online = np.r_[np.ones(n_web, bool), np.zeros(n_shop, bool), history.web]
    logged_in = np.r_[web.logged_in, np.zeros(n_shop, bool), history.web]
    line_order = np.r_[web.line_order, n_web + drawn_line]
    product = np.r_[web.line_product, drawn_product]
    quantity = np.r_[web.line_quantity, drawn_qty]

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
    free_shipping |= ~online
    shipping = np.where(free_shipping, 0, np.rint(SHIPPING_USD_CENTS * rate)).astype(np.int64)
    tax = np.rint((subtotal - discount) * geo.tax_rate[country]).astype(np.int64)
    total = subtotal - discount + shipping + tax

    status = np.where(
        online,
        choice(rng, np.array(STATUS_PROBS), n),
        choice(rng, np.array(SHOP_STATUS_PROBS), n),
    )
    settled = ordered < world.start_us - SETTLED_AFTER_DAYS * US_PER_DAY
    status = np.where(settled & (status == PENDING), COMPLETED, status)
    delay_max = np.array([600, 60, 2 * 86_400, 14 * 86_400])[status] * 1_000_000
    updated = np.minimum(
        ordered + 300_000_000 + (rng.random(n) * delay_max).astype(np.int64), world.end_us - 1
    )
    qa = np.zeros(n, dtype=bool)
    qa[rng.permutation(n_web)[: min(n_web, max(MIN_QA_ORDERS, int(QA_ORDER_SHARE * n_web)))]] = True
    email = where(qa, QA_EMAIL, lookup(persons.email, person))
    email = where(~online & (rng.random(n) < 0.4), None, email)
    member = logged_in | ~online
    city = persons.city[person]
    order_ids = serial("ORD-", chunk, n)
    columns = {
        "order_id": order_ids,
        "contact_id": lookup(persons.contact_id, np.where(member, person, -1)),
        "user_id": lookup(persons.user_id, np.where(logged_in, person, -1)),
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
    old = (status != PENDING) & online & (rng.random(n) < SUPERSEDED_ORDER_RATE)
    olds = np.flatnonzero(old)
    previous = {k: v.take(pa.array(olds)) for k, v in columns.items()}
    previous["status"] = lookup(STATUSES, np.full(len(olds), PENDING))
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
        in_period=n_web + n_shop,
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
