"""Deliberate data-quality defects, injected into disjoint rows and counted exactly.

Each kind touches only rows of its own: never a row with another defect, never a version
of a superseded key, never the original of a duplicated message. Every other row stays
valid under the staging rules, so quarantine counts per reason equal the manifest counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .persons import UNKNOWN_KEY_BASE, UNKNOWN_KEYS_PER_CHUNK, contact_ids
from .strings import US_PER_S, concat, lookup, slug, timestamps, where
from .world import US_PER_DAY, World

KINDS = {
    "tracks": (
        "duplicate_message_id",
        "missing_identifier",
        "malformed_properties",
        "timestamp_out_of_range",
        "late_arriving",
        "unknown_event_name",
    ),
    "pages": (
        "duplicate_message_id",
        "missing_identifier",
        "timestamp_out_of_range",
        "late_arriving",
    ),
    "identifies": ("duplicate_message_id", "unnormalized_email", "invalid_email", "invalid_phone"),
    "contacts": ("unnormalized_email", "invalid_email", "invalid_phone"),
    "orders": ("unnormalized_email", "invalid_email", "unknown_currency", "unknown_contact_id"),
    "order_items": ("invalid_price",),
}
SUPERSEDED = "superseded_version"
REJECTED_TRACK_KINDS = (
    "missing_identifier",
    "malformed_properties",
    "timestamp_out_of_range",
    "unknown_event_name",
)
REJECTED_ORDER_KINDS = ("unknown_currency", "unknown_contact_id")
UNKNOWN_EVENTS = ("Button Clicked", "product viewed v2", "Test Event", "Add To Wishlist")
BAD_PHONES = ("12345", "555-CALL-NOW", "000", "n/a", "+0 000", "tel")
BAD_CURRENCIES = ("XYZ", "US$", "usd?", "EURO")
BAD_PRICES = ("twelve", "N/A")
TRUNCATE_AT = (3, 9, 17, 30)
PRE_2000 = (0, 631_152_000, 915_148_800)  # 1970-01-01, 1990-01-01, 1999-01-01 (seconds)
Columns = dict[str, pa.Array]


@dataclass
class Draft:
    """A raw table before defects, and what the injector must know about its rows."""

    columns: Columns
    protected: np.ndarray  # rows that must stay clean (all versions of superseded keys)
    superseded: int = 0  # older versions included in the rows
    parent: np.ndarray | None = None  # order_items: row of the order in the orders draft


def _us(column: pa.Array) -> np.ndarray:
    return column.cast(pa.int64()).to_numpy(zero_copy_only=False)


def _set(columns: Columns, name: str, idx: np.ndarray, values: pa.Array) -> None:
    mask = np.zeros(len(columns[name]), dtype=bool)
    mask[idx] = True
    columns[name] = pc.replace_with_mask(columns[name], pa.array(mask), values)


def _pick(rng: np.random.Generator, choices: tuple[str, ...], n: int) -> pa.Array:
    return lookup(choices, rng.integers(0, len(choices), n))


def _missing_identifier(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    variant = rng.integers(0, 4, len(idx))
    _set(c, "anonymous_id", idx, where(np.isin(variant, (1, 2)), "", None))
    _set(c, "user_id", idx, where(np.isin(variant, (1, 3)), "", None))


def _malformed_properties(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    props = c["properties"].take(pa.array(idx))
    length = pc.utf8_length(props).to_numpy()
    variant = rng.integers(0, 4, len(idx))
    has_keys = length > 2
    cut = np.asarray(TRUNCATE_AT)[rng.integers(0, len(TRUNCATE_AT), len(idx))]
    broken = pc.utf8_slice_codeunits(props, 0, -1)
    for stop in TRUNCATE_AT:
        broken = pc.if_else(
            pa.array((cut == stop) & (length > stop + 1)),
            pc.utf8_slice_codeunits(props, 0, stop),
            broken,
        )
    broken = pc.if_else(
        pa.array((variant == 1) & has_keys), pc.replace_substring(props, '"', "'"), broken
    )
    broken = pc.if_else(pa.array(variant == 2), concat(props, "}"), broken)
    _set(c, "properties", idx, broken)


def _timestamp_out_of_range(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    received = _us(c["received_at"].take(pa.array(idx)))
    future = received + rng.integers(25 * 3600 * US_PER_S, 400 * US_PER_DAY, len(idx))
    past = np.asarray(PRE_2000)[rng.integers(0, len(PRE_2000), len(idx))] * US_PER_S
    bad = timestamps(np.where(rng.random(len(idx)) < 0.6, future, past))
    _set(c, "timestamp", idx, bad)
    _set(c, "original_timestamp", idx, bad)


def _late_arriving(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    ts = _us(c["timestamp"].take(pa.array(idx)))
    received = ts + rng.integers(2 * US_PER_DAY, 10 * US_PER_DAY, len(idx))
    _set(c, "received_at", idx, timestamps(received))
    _set(c, "sent_at", idx, timestamps(received - rng.integers(50_000, 2 * US_PER_S, len(idx))))


def _unknown_event_name(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    known = {e.name.lower() for e in world.contract.tracking_plan}
    names = tuple(n for n in UNKNOWN_EVENTS if n.lower() not in known)
    choice = rng.integers(0, len(names), len(idx))
    _set(c, "event_text", idx, lookup(names, choice))
    _set(c, "event", idx, lookup([slug(n) for n in names], choice))


def _unnormalized_email(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    email = c["email"].take(pa.array(idx))
    variant = rng.integers(0, 4, len(idx))
    cased = pc.if_else(pa.array(variant == 0), pc.utf8_upper(email), pc.utf8_capitalize(email))
    spaced = pc.choose(
        pa.array(rng.integers(0, 3, len(idx)).astype(np.int8)),
        concat(" ", email),
        concat(email, "  "),
        concat(" ", cased, " "),
    )
    _set(c, "email", idx, pc.if_else(pa.array(variant >= 2), spaced, cased))


def _invalid_email(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    email = c["email"].take(pa.array(idx))
    variants = (
        pc.replace_substring_regex(email, "@.*$", "@"),
        pc.replace_substring(email, "@", "@@"),
        pc.replace_substring(email, ".", " ", max_replacements=1),
        pc.replace_substring(email, "@", "."),
    )
    _set(
        c,
        "email",
        idx,
        pc.choose(pa.array(rng.integers(0, 4, len(idx)).astype(np.int8)), *variants),
    )


def _invalid_phone(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    _set(c, "phone", idx, _pick(rng, BAD_PHONES, len(idx)))


def _invalid_price(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    price = c["unit_price"].take(pa.array(idx))
    variants = (
        concat("-", price),
        pc.replace_substring(price, ".", ","),
        _pick(rng, BAD_PRICES, len(idx)),
    )
    _set(
        c,
        "unit_price",
        idx,
        pc.choose(pa.array(rng.integers(0, 3, len(idx)).astype(np.int8)), *variants),
    )


def _unknown_currency(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    _set(c, "currency", idx, _pick(rng, BAD_CURRENCIES, len(idx)))


def _unknown_contact_id(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    # keys no person has, a separate range per chunk
    keys = UNKNOWN_KEY_BASE + chunk * UNKNOWN_KEYS_PER_CHUNK + np.arange(len(idx))
    _set(c, "contact_id", idx, contact_ids(keys))


APPLY: dict[str, Callable[[np.random.Generator, World, Columns, np.ndarray, int], None]] = {
    f.__name__[1:]: f
    for f in (
        _missing_identifier,
        _malformed_properties,
        _timestamp_out_of_range,
        _late_arriving,
        _unknown_event_name,
        _unnormalized_email,
        _invalid_email,
        _invalid_phone,
        _invalid_price,
        _unknown_currency,
        _unknown_contact_id,
    )
}


def _eligible(kind: str, columns: Columns, n: int) -> np.ndarray:
    if kind in ("unnormalized_email", "invalid_email"):
        return pc.is_valid(columns["email"]).to_numpy(zero_copy_only=False)
    if kind == "invalid_phone":
        return pc.is_valid(columns["phone"]).to_numpy(zero_copy_only=False)
    if "event_text" in columns and kind in REJECTED_TRACK_KINDS:
        # keep every Order Completed track, so each web order has its event
        return pc.not_equal(columns["event_text"], "Order Completed").to_numpy(zero_copy_only=False)
    return np.ones(n, dtype=bool)


def inject(
    rng: np.random.Generator, world: World, table: str, draft: Draft, chunk: int
) -> tuple[pa.Table, dict[str, int], dict[str, np.ndarray]]:
    """Apply the table's defect kinds at world.defect_rate; returns the table, the count per
    kind (including superseded versions) and the rows each kind hit (before duplicates)."""
    columns = dict(draft.columns)
    n = len(next(iter(columns.values())))
    free = ~draft.protected
    order = rng.permutation(n)
    counts = {SUPERSEDED: draft.superseded} if draft.superseded else {}
    hit: dict[str, np.ndarray] = {}
    for kind in KINDS.get(table, ()):
        wanted = rng.binomial(n, world.defect_rate) if n else 0
        candidates = order[(free & _eligible(kind, columns, n))[order]]
        rows = np.sort(candidates[:wanted])
        free[rows] = False
        hit[kind] = rows
        counts[kind] = len(rows)
        if kind != "duplicate_message_id" and len(rows):
            APPLY[kind](rng, world, columns, rows, chunk)
    result = world.contract.table(table, columns)
    copies = hit.get("duplicate_message_id", np.zeros(0, dtype=np.int64))
    if len(copies):
        dup = result.take(pa.array(copies))
        later = _us(dup["received_at"]) + rng.integers(US_PER_S, 300 * US_PER_S, len(copies))
        dup = dup.set_column(
            dup.schema.get_field_index("received_at"), "received_at", timestamps(later)
        )
        result = pa.concat_tables([result, dup])
    return result, counts, hit
