"""Deliberate data-quality defects, injected into disjoint rows and counted exactly.

Each kind touches only rows of its own: never a row with another defect, never a version
of a superseded key, never the original of a duplicated message. Every other row stays
valid under the staging rules, so quarantine counts per reason equal the manifest counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .persons import UNKNOWN_KEY_BASE, UNKNOWN_KEYS_PER_CHUNK, contact_ids
from .strings import US_PER_S, concat, decimals, iso_dates, lookup, slug, timestamps
from .world import US_PER_DAY, World

KINDS = {
    "tracks": (
        "duplicate_message_id",
        "missing_identifier",
        "malformed_properties",
        "timestamp_out_of_range",
        "late_arriving",
        "unknown_event_name",
        "required_property_missing",
        "property_wrong_type",
        "property_out_of_range",
        "event_name_normalized",
        "padded_identifier",
        "bot_traffic",
    ),
    "pages": (
        "duplicate_message_id",
        "missing_identifier",
        "padded_identifier",
        "timestamp_out_of_range",
        "late_arriving",
        "bot_traffic",
    ),
    "identifies": ("duplicate_message_id", "unnormalized_email", "invalid_email", "invalid_phone"),
    "contacts": (
        "unnormalized_email",
        "invalid_email",
        "invalid_phone",
        "future_birth_date",
        "implausible_age",
    ),
    "orders": (
        "unnormalized_email",
        "invalid_email",
        "unknown_currency",
        "unknown_contact_id",
        "inconsistent_order_items",
    ),
    "order_items": ("invalid_price",),
    "survey_responses": ("unknown_question", "invalid_answer"),
}
SUPERSEDED = "superseded_version"
# phones typed in a national format (formats.phones), which staging repairs to E.164 and lists;
# counted per table like SUPERSEDED, not injected
PHONE_REPAIRED = "phone_repaired"
COUNTED = {
    "contacts": (SUPERSEDED, PHONE_REPAIRED),
    "orders": (SUPERSEDED,),
    "identifies": (PHONE_REPAIRED,),
}
REJECTED_TRACK_KINDS = (
    "missing_identifier",
    "malformed_properties",
    "timestamp_out_of_range",
    "unknown_event_name",
    "required_property_missing",
)
REJECTED_ORDER_KINDS = ("unknown_currency", "unknown_contact_id")
UNKNOWN_EVENTS = ("Button Clicked", "product viewed v2", "Test Event", "Add To Wishlist")
BLANKS = ("", "\t", "\u200b", "\u00a0 ", "\ufeff\n")  # empty once staging trims Unicode blanks
# per event: a property the plan requires; the values it is then sent with
REQUIRED_PROPERTIES = {
    "Product Viewed": "product_id",
    "Product Added": "product_id",
    "Products Searched": "query",
    "Email Opened": "campaign_id",
    "Video Playback Started": "video_id",
    "Review Submitted": "product_id",
}
MISSING_VALUES = ('""', "null", '" \\t"')
# per event: an optional property and values that break its rule in tracking_plan_properties
WRONG_TYPES = {
    "Product Viewed": ("price", ('"12,50"', '"$9.99"', '"free"')),
    "Product Added": ("quantity", ("2.5", '"two"', "true")),
    "Video Content Playing": ("percent_watched", ('"half"', "12.5")),
    "Page Scrolled": ("scroll_depth", ('"bottom"', "false")),
    "Review Submitted": ("rating", ('"five"', "4.5")),
}
OUT_OF_RANGE = {
    "Product Added": ("quantity", ("0", "-3")),
    "Product Removed": ("quantity", ("0", "-1")),
    "Video Content Playing": ("percent_watched", ("150", "-20", "101")),
    "Page Scrolled": ("scroll_depth", ("250", "-5")),
    "Review Submitted": ("rating", ("0", "7")),
}
INVISIBLE_PADDING = ("\t", "\u200b", "\u00a0", "\ufeff", "\n", "\u3000")
BAD_PHONES = ("12345", "555-CALL-NOW", "000", "n/a", "+0 000", "tel")
BAD_CURRENCIES = ("XYZ", "US$", "usd?", "EURO")
BAD_PRICES = ("twelve", "N/A")
# bot_traffic: user agents of crawlers and scripts, each matched by seeds/bot_user_agents.csv
BOT_USER_AGENTS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/129.0.6668.100 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/129.0.0.0 Safari/537.36",
    "python-requests/2.32.3",
    "curl/8.5.0",
)
# question_id, question text of questions missing from seeds/survey_questions.csv
UNKNOWN_QUESTIONS = (
    ("favourite_colour", "Which colour do you like best?"),
    ("nps_v2", "How likely are you to recommend our app?"),
    ("top_values", "What matters most to you?"),
)
BAD_NPS_ANSWERS = ("very likely", "11", "2.5", "-1", "10/10", "ten")
BAD_CHOICE_ANSWERS = ("everything", "price", "quality and style", "sustainability;style")
OLD_BIRTH_YEARS = (1850, 1900)  # implausible_age: born in these years (ages over 110)
YOUNG_AGE_DAYS = (30, 12 * 365)  # implausible_age: this many days old on the record's update
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
    repaired_phone: np.ndarray | None = None  # rows whose phone staging repairs (national format)


def _us(column: pa.Array) -> np.ndarray:
    return column.cast(pa.int64()).to_numpy(zero_copy_only=False)


def _set(columns: Columns, name: str, idx: np.ndarray, values: pa.Array) -> None:
    mask = np.zeros(len(columns[name]), dtype=bool)
    mask[idx] = True
    columns[name] = pc.replace_with_mask(columns[name], pa.array(mask), values)


def _pick(rng: np.random.Generator, choices: tuple[str, ...], n: int) -> pa.Array:
    return lookup(choices, rng.integers(0, len(choices), n))


def _one_of(rng: np.random.Generator, variants: tuple[pa.Array, ...], n: int) -> pa.Array:
    """Each of the n rows from one of the variants (arrays of n rows), chosen at random."""
    return pc.choose(pa.array(rng.integers(0, len(variants), n).astype(np.int8)), *variants)


def _missing_identifier(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    variant = rng.integers(0, 4, len(idx))
    blank = _pick(rng, BLANKS, len(idx))
    _set(c, "anonymous_id", idx, pc.if_else(pa.array(np.isin(variant, (1, 2))), blank, None))
    _set(c, "user_id", idx, pc.if_else(pa.array(np.isin(variant, (1, 3))), blank, None))


def _padded_identifier(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    for column in ("anonymous_id", "user_id"):
        ids = c[column].take(pa.array(idx))
        padded = concat(
            _pick(rng, INVISIBLE_PADDING, len(idx)),
            ids,
            _pick(rng, ("", *INVISIBLE_PADDING), len(idx)),
        )
        _set(c, column, idx, pc.if_else(pc.is_valid(ids), padded, ids))


def _set_property(
    rng: np.random.Generator,
    c: Columns,
    idx: np.ndarray,
    targets: dict[str, tuple[str, tuple[str, ...]]],
) -> None:
    """Sets, on each row, the target property of its event to one of the target's JSON values."""
    events = c["event_text"].take(pa.array(idx)).to_numpy(zero_copy_only=False)
    props = c["properties"].take(pa.array(idx)).to_pylist()
    for event, (key, values) in targets.items():
        rows = np.flatnonzero(events == event)
        pattern = re.compile(f'"{key}":("[^"]*"|[^,}}]*)')
        for row, choice in zip(rows, rng.integers(0, len(values), len(rows)), strict=True):
            replacement = f'"{key}":{values[choice]}'
            props[row] = pattern.sub(lambda _, r=replacement: r, props[row])
    _set(c, "properties", idx, pa.array(props, pa.string()))


def _required_property_missing(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    targets = {event: (key, MISSING_VALUES) for event, key in REQUIRED_PROPERTIES.items()}
    _set_property(rng, c, idx, targets)


def _property_wrong_type(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    _set_property(rng, c, idx, WRONG_TYPES)


def _property_out_of_range(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    _set_property(rng, c, idx, OUT_OF_RANGE)


def _event_name_normalized(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    names = c["event_text"].take(pa.array(idx))
    variants = (pc.utf8_lower(names), pc.utf8_upper(names), pc.replace_substring(names, " ", "_"))
    _set(c, "event_text", idx, _one_of(rng, variants, len(idx)))


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
    spaced = _one_of(
        rng, (concat(" ", email), concat(email, "  "), concat(" ", cased, " ")), len(idx)
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
    _set(c, "email", idx, _one_of(rng, variants, len(idx)))


def _invalid_phone(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    _set(c, "phone", idx, _pick(rng, BAD_PHONES, len(idx)))


def _record_days(c: Columns, idx: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of the local date of each row's updated_at (within a day of UTC)."""
    local = pc.utf8_slice_codeunits(c["updated_at"].take(pa.array(idx)), 0, 10)
    dates = pc.strptime(local, format="%Y-%m-%d", unit="s").cast(pa.date32())
    return dates.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)


def _future_birth_date(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    days = _record_days(c, idx) + rng.integers(2, 3650, len(idx))
    _set(c, "birth_date", idx, iso_dates(days))


def _implausible_age(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    start, stop = (np.datetime64(f"{y}-01-01", "D").astype(np.int64) for y in OLD_BIRTH_YEARS)
    old = rng.integers(start, stop, len(idx))
    young = _record_days(c, idx) - rng.integers(*YOUNG_AGE_DAYS, len(idx))
    _set(c, "birth_date", idx, iso_dates(np.where(rng.random(len(idx)) < 0.5, old, young)))


def _unknown_question(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    choice = rng.integers(0, len(UNKNOWN_QUESTIONS), len(idx))
    _set(c, "question_id", idx, lookup([q for q, _ in UNKNOWN_QUESTIONS], choice))
    _set(c, "question", idx, lookup([t for _, t in UNKNOWN_QUESTIONS], choice))


def _invalid_answer(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    is_nps = pc.equal(c["question_id"].take(pa.array(idx)), "nps")
    nps = _pick(rng, BAD_NPS_ANSWERS, len(idx))
    _set(c, "answer", idx, pc.if_else(is_nps, nps, _pick(rng, BAD_CHOICE_ANSWERS, len(idx))))


def _invalid_price(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    price = c["unit_price"].take(pa.array(idx))
    variants = (
        concat("-", price),
        pc.replace_substring(price, ".", ","),
        _pick(rng, BAD_PRICES, len(idx)),
    )
    _set(c, "unit_price", idx, _one_of(rng, variants, len(idx)))


def _unknown_currency(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    _set(c, "currency", idx, _pick(rng, BAD_CURRENCIES, len(idx)))


def _inconsistent_order_items(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    # a subtotal ten times the items' sum (a lost decimal point) or a few units over it
    subtotal = pc.cast(c["subtotal"].take(pa.array(idx)), pa.float64()).to_numpy()
    cents = np.rint(subtotal * 100).astype(np.int64)
    wrong = np.where(
        rng.random(len(idx)) < 0.5, cents * 10, cents + rng.integers(100, 5000, len(idx))
    )
    _set(c, "subtotal", idx, decimals(wrong))


def _unknown_contact_id(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    # keys no person has, a separate range per chunk
    keys = UNKNOWN_KEY_BASE + chunk * UNKNOWN_KEYS_PER_CHUNK + np.arange(len(idx))
    _set(c, "contact_id", idx, contact_ids(keys))


def _bot_traffic(
    rng: np.random.Generator, world: World, c: Columns, idx: np.ndarray, chunk: int
) -> None:
    _set(c, "context_user_agent", idx, _pick(rng, BOT_USER_AGENTS, len(idx)))


APPLY: dict[str, Callable[[np.random.Generator, World, Columns, np.ndarray, int], None]] = {
    f.__name__[1:]: f
    for f in (
        _missing_identifier,
        _padded_identifier,
        _required_property_missing,
        _property_wrong_type,
        _property_out_of_range,
        _event_name_normalized,
        _malformed_properties,
        _timestamp_out_of_range,
        _late_arriving,
        _unknown_event_name,
        _unnormalized_email,
        _invalid_email,
        _invalid_phone,
        _future_birth_date,
        _implausible_age,
        _unknown_question,
        _invalid_answer,
        _invalid_price,
        _unknown_currency,
        _unknown_contact_id,
        _inconsistent_order_items,
        _bot_traffic,
    )
}


def _eligible(kind: str, columns: Columns, n: int) -> np.ndarray:
    if kind in ("unnormalized_email", "invalid_email"):
        return pc.is_valid(columns["email"]).to_numpy(zero_copy_only=False)
    if kind == "invalid_phone":
        return pc.is_valid(columns["phone"]).to_numpy(zero_copy_only=False)
    targets = {
        "required_property_missing": REQUIRED_PROPERTIES,
        "property_wrong_type": WRONG_TYPES,
        "property_out_of_range": OUT_OF_RANGE,
    }
    if kind in targets:
        return pc.is_in(columns["event_text"], pa.array(list(targets[kind]))).to_numpy(
            zero_copy_only=False
        )
    if kind == "event_name_normalized":
        # a name with a space, so each variant differs from the plan's spelling
        return pc.match_substring(columns["event_text"], " ").to_numpy(zero_copy_only=False)
    if "event_text" in columns and (kind in REJECTED_TRACK_KINDS or kind == "bot_traffic"):
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
    if draft.repaired_phone is not None:
        repaired = draft.repaired_phone.copy()
        repaired[hit.get("invalid_phone", [])] = False
        counts[PHONE_REPAIRED] = int(repaired.sum())
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
