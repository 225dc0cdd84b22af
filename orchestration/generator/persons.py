"""Persons of one chunk: persona, home city, names, email, phone, account and CRM contact.

Online persons use the web site; CRM-only persons exist only as CRM contacts (offline
customers). Person keys are global: online persons are numbered like users
(chunk * CHUNK_USERS + i), CRM-only persons follow all users in fixed per-chunk blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import personas
from .sampling import categorical, choice, scramble
from .strings import concat, digit_chars, from_chars, integers, lookup, numbered, where
from .world import CHUNK_USERS, MAX_CHUNKS, World

CRM_ONLY_SHARE = 0.06  # CRM-only persons per online person
CRM_BLOCK = int(CHUNK_USERS * CRM_ONLY_SHARE) + 1
ID_MODULUS = 1_000_000_000
UNKNOWN_KEY_BASE = 900_000_000  # keys from here on never belong to a person
UNKNOWN_KEYS_PER_CHUNK = (ID_MODULUS - UNKNOWN_KEY_BASE) // MAX_CHUNKS
CONTACT_RATE = 0.9  # account holders with a CRM contact
PHONE_RATE = 0.65
HOUSEHOLD_RATE = 0.04  # account holders who share a partner's device
FEMALE_GIVEN = (
    "Emma",
    "Olivia",
    "Sophia",
    "Mia",
    "Charlotte",
    "Amelia",
    "Hannah",
    "Lea",
    "Chloé",
    "Sofía",
    "Giulia",
    "Ingrid",
    "Yuki",
    "Aoife",
    "Zoe",
    "Grace",
    "Ella",
    "Freya",
    "Maja",
    "Nora",
    "Lucía",
    "Elena",
    "Chiara",
    "Anna",
    "Sarah",
    "Priya",
    "Fatima",
    "Mei",
    "Isabel",
    "Camille",
)
MALE_GIVEN = (
    "Liam",
    "Noah",
    "James",
    "Lucas",
    "Ben",
    "Oliver",
    "Elias",
    "Hugo",
    "Mateo",
    "Leonardo",
    "Finn",
    "Erik",
    "Kenji",
    "Seán",
    "Jack",
    "Thomas",
    "Daniel",
    "Felix",
    "Max",
    "Luca",
    "Pablo",
    "Marco",
    "Jonas",
    "David",
    "Arjun",
    "Omar",
    "Wei",
    "Samuel",
    "Louis",
    "Oscar",
)
FAMILY = (
    "Smith",
    "Johnson",
    "Brown",
    "Garcia",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "Anderson",
    "Thomas",
    "Martin",
    "Lee",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Rossi",
    "Russo",
    "Bianchi",
    "Fernández",
    "López",
    "Martínez",
    "de Vries",
    "Jansen",
    "Andersson",
    "Johansson",
    "Nilsson",
    "Murphy",
    "O'Brien",
    "Kelly",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Patel",
    "Khan",
    "Nguyen",
    "Chen",
    "Smith-Jones",
    "Novak",
)
GIVEN = FEMALE_GIVEN + MALE_GIVEN
# (first part, separator, second part) of email local parts; parts: 0 given, 1 initial, 2 family
EMAIL_PATTERNS = ((0, ".", 2), (0, "", 2), (1, "", 2), (2, ".", 0), (0, "_", 2))
EMAIL_PATTERN_WEIGHTS = (0.4, 0.2, 0.2, 0.1, 0.1)


def email_slug(name: str) -> str:
    """ASCII, lower-case form of a name for email local parts."""
    table = str.maketrans("éèüöáíóúñ", "eeuoaioun")
    return name.lower().translate(table).replace(" ", "")


@dataclass(frozen=True)
class Persons:
    """One chunk's persons as parallel arrays (index = local person code)."""

    key: np.ndarray
    online: np.ndarray
    persona: np.ndarray
    city: np.ndarray
    country: np.ndarray
    given: np.ndarray  # index into GIVEN
    family: np.ndarray  # index into FAMILY
    is_female_name: np.ndarray
    activity: np.ndarray
    has_account: np.ndarray
    has_contact: np.ndarray
    has_phone: np.ndarray
    household_partner: np.ndarray  # local code of the partner whose device is shared, or -1
    email: pa.Array  # normalized (lower-case, trimmed)
    phone_national: pa.Array  # national significant number, null when no phone
    phone_e164: pa.Array
    user_id: pa.Array  # null without an account
    contact_id: pa.Array  # null without a contact

    def __len__(self) -> int:
        return len(self.key)


def user_ids(keys: np.ndarray) -> pa.Array:
    """Application user ids of person keys."""
    return numbered("usr_", scramble(keys, 48_271, 1_234_567, ID_MODULUS), 9)


def contact_ids(keys: np.ndarray) -> pa.Array:
    """CRM contact ids of person keys (keys >= UNKNOWN_KEY_BASE name no contact)."""
    return numbered("C", scramble(keys, 69_621, 7_654_321, ID_MODULUS), 9)


def _households(rng: np.random.Generator, has_account: np.ndarray) -> np.ndarray:
    partner = np.full(len(has_account), -1)
    holders = rng.permutation(np.flatnonzero(has_account))
    pairs = min(round(HOUSEHOLD_RATE * len(holders)), len(holders) // 2)
    partner[holders[:pairs]] = holders[pairs : 2 * pairs]
    return partner


def _emails(
    rng: np.random.Generator,
    world: World,
    keys: np.ndarray,
    given: np.ndarray,
    family: np.ndarray,
    country: np.ndarray,
) -> pa.Array:
    slugs_given = [email_slug(n) for n in GIVEN]
    parts = slugs_given + [s[0] for s in slugs_given] + [email_slug(n) for n in FAMILY]
    offsets = np.array([0, len(GIVEN), 2 * len(GIVEN)])
    pattern = choice(rng, np.array(EMAIL_PATTERN_WEIGHTS), len(keys))
    first_kind = np.array([p[0] for p in EMAIL_PATTERNS])[pattern]
    second_kind = np.array([p[2] for p in EMAIL_PATTERNS])[pattern]

    def part(kind: np.ndarray) -> np.ndarray:
        return offsets[kind] + np.where(kind == 2, family, given)

    domain = categorical(rng, world.geography.domain_probs, country)
    return concat(
        lookup(parts, part(first_kind)),
        lookup([p[1] for p in EMAIL_PATTERNS], pattern),
        lookup(parts, part(second_kind)),
        integers(keys),
        "@",
        lookup(world.geography.email_domains, domain),
    )


def build_persons(rng: np.random.Generator, world: World, chunk: int, users: int) -> Persons:
    """Persons of a chunk: its online users plus its block of CRM-only persons."""
    first = chunk * CHUNK_USERS
    n_online = min(CHUNK_USERS, users - first)
    n_crm = round(n_online * CRM_ONLY_SHARE)
    keys = np.concatenate(
        [first + np.arange(n_online), users + chunk * CRM_BLOCK + np.arange(n_crm)]
    ).astype(np.int64)
    n = len(keys)
    online = np.arange(n) < n_online
    persona = choice(rng, personas.column("share"), n)
    geo = world.geography
    country = choice(rng, geo.country_share, n)
    city_probs = (geo.city_country[None, :] == np.arange(len(geo.country_code))[:, None]) * 1.0
    city = categorical(rng, city_probs, country)
    given = rng.integers(0, len(GIVEN), n)
    family = rng.integers(0, len(FAMILY), n)
    has_account = online & (rng.random(n) < personas.column("account_rate")[persona])
    partner = _households(rng, has_account)
    sharing = partner >= 0
    city[sharing] = city[partner[sharing]]
    country = geo.city_country[city]
    same_family = sharing & (rng.random(n) < 0.6)
    family[same_family] = family[partner[same_family]]
    has_contact = ~online | (has_account & (rng.random(n) < CONTACT_RATE))
    has_phone = rng.random(n) < PHONE_RATE
    national = concat(
        lookup(geo.city_phone_prefix, city),
        from_chars(digit_chars(scramble(keys, 7_919, 104_729, 10_000_000), 7)),
    )
    phone_national = where(has_phone, national, None)
    activity = rng.lognormal(0.0, 0.6, n)
    return Persons(
        key=keys,
        online=online,
        persona=persona,
        city=city,
        country=country,
        given=given,
        family=family,
        is_female_name=given < len(FEMALE_GIVEN),
        activity=activity / activity.mean() if n else activity,
        has_account=has_account,
        has_contact=has_contact,
        has_phone=has_phone,
        household_partner=partner,
        email=_emails(rng, world, keys, given, family, country),
        phone_national=phone_national,
        phone_e164=concat("+", lookup(geo.calling_code, country), phone_national),
        user_id=where(has_account, user_ids(keys), None),
        contact_id=where(has_contact, contact_ids(keys), None),
    )
