"""Devices (anonymous ids) and who uses them.

Each online person owns 1-3 devices. `Usage` links persons to devices: their own, a
partner's device shared in a household, or a store kiosk used by many people. Kiosks are
world-wide devices appended after the chunk's own devices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .persons import Persons
from .sampling import STREAM_DEVICES, categorical, choice, random_uuids
from .strings import concat, integers, lookup
from .world import KIOSK_PROFILE, KIOSKS, World

OWN, SHARED, KIOSK = range(3)
DEVICE_COUNT_PROBS = (0.55, 0.32, 0.13)  # 1, 2 or 3 devices
LOGIN_RANK_PROBS = (0.2, 0.5, 0.2, 0.1)  # never, at the 1st, 2nd or 3rd session on a device
KIOSK_USER_SHARE = 0.01  # of online persons, at least MIN_KIOSK_USERS
MIN_KIOSK_USERS = 30
KIOSK_LOGIN_RATE = 0.85
IP_FIRST_OCTETS = np.array(
    [23, 31, 37, 45, 62, 66, 73, 77, 81, 84, 89, 92, 98, 104, 108, 142, 151, 176, 185, 212, 217]
)


@dataclass(frozen=True)
class Devices:
    """Devices of a chunk (index = local device code); kiosks come last."""

    owner: np.ndarray  # local person code, -1 for kiosks
    profile: np.ndarray  # index into world.DEVICE_PROFILES
    device_type: np.ndarray  # index into world.DEVICE_TYPES
    city: np.ndarray
    locale: pa.Array
    ip: pa.Array
    anonymous_id: pa.Array
    skew_us: np.ndarray  # client clock skew
    is_kiosk: np.ndarray
    is_shared: np.ndarray  # used by two household members


@dataclass(frozen=True)
class Usage:
    """(person, device) pairs sorted by person; login_rank is the 1-based session on the
    device in which the person logs in (0: never)."""

    person: np.ndarray
    device: np.ndarray
    weight: np.ndarray  # share of the person's ordinary sessions
    login_rank: np.ndarray
    kind: np.ndarray  # OWN, SHARED or KIOSK
    start: np.ndarray  # person -> first usage row
    count: np.ndarray  # person -> number of usage rows

    def primary_device(self) -> np.ndarray:
        """Per person, the first own device (-1 for persons without devices)."""
        device = np.full(len(self.count), -1)
        uses = self.count > 0
        device[uses] = self.device[self.start[uses]]
        return device


def _kiosk_users(rng: np.random.Generator, world: World, persons: Persons) -> tuple:
    geo = world.geography
    kiosk_of_country = np.full(len(geo.country_code), -1)
    for k, (country, *_) in enumerate(KIOSKS):
        kiosk_of_country[geo.country(country)] = k
    kiosk = kiosk_of_country[persons.country]
    eligible = np.flatnonzero(persons.has_account & (kiosk >= 0))
    wanted = max(MIN_KIOSK_USERS, round(KIOSK_USER_SHARE * persons.online.sum()))
    users = rng.permutation(eligible)[: min(wanted, len(eligible))]
    return np.sort(users), kiosk[np.sort(users)]


def build_devices(
    rng: np.random.Generator, world: World, persons: Persons, chunk: int
) -> tuple[Devices, Usage]:
    """Devices of the chunk's online persons, plus the kiosks, and the usage links."""
    online = np.flatnonzero(persons.online)
    per_person = choice(rng, np.array(DEVICE_COUNT_PROBS), len(online)) + 1
    owner = np.repeat(online, per_person)
    n_own = len(owner)
    first_of_owner = np.r_[0, np.cumsum(per_person)[:-1]]
    n_kiosk = len(KIOSKS)
    profile = np.r_[choice(rng, world.profile_weight, n_own), np.full(n_kiosk, KIOSK_PROFILE)]
    city = np.r_[persons.city[owner], world.kiosk_city]
    geo = world.geography
    locale_code = categorical(rng, geo.locale_probs, geo.city_country[persons.city[owner]])
    ip = concat(
        integers(rng.choice(IP_FIRST_OCTETS, n_own)),
        ".",
        integers(rng.integers(0, 256, n_own)),
        ".",
        integers(rng.integers(0, 256, n_own)),
        ".",
        integers(rng.integers(1, 255, n_own)),
    )
    is_shared = np.zeros(n_own + n_kiosk, dtype=bool)

    person = [owner]
    device = [np.arange(n_own)]
    weight = [
        np.where(np.isin(np.arange(n_own), first_of_owner), 1.0, rng.uniform(0.2, 0.7, n_own))
    ]
    ranks = choice(rng, np.array(LOGIN_RANK_PROBS), n_own)
    login_rank = [np.where(persons.has_account[owner], ranks, 0)]
    kind = [np.full(n_own, OWN)]

    sharer = np.flatnonzero(persons.household_partner[online] >= 0)
    partner = persons.household_partner[online][sharer]
    shared_device = first_of_owner[np.searchsorted(online, partner)]
    is_shared[shared_device] = True
    login_rank[0][shared_device] = 1
    person.append(online[sharer])
    device.append(shared_device)
    weight.append(np.full(len(sharer), 0.35))
    login_rank.append(np.ones(len(sharer), dtype=np.int64))
    kind.append(np.full(len(sharer), SHARED))

    kiosk_person, kiosk = _kiosk_users(rng, world, persons)
    person.append(kiosk_person)
    device.append(n_own + kiosk)
    weight.append(np.zeros(len(kiosk)))
    login_rank.append((rng.random(len(kiosk)) < KIOSK_LOGIN_RATE).astype(np.int64))
    kind.append(np.full(len(kiosk), KIOSK))

    person_all = np.concatenate(person)
    order = np.argsort(person_all, kind="stable")
    count = np.bincount(person_all, minlength=len(persons))
    usage = Usage(
        person=person_all[order],
        device=np.concatenate(device)[order],
        weight=np.concatenate(weight)[order],
        login_rank=np.concatenate(login_rank)[order],
        kind=np.concatenate(kind)[order],
        start=np.r_[0, np.cumsum(count)[:-1]],
        count=count,
    )
    devices = Devices(
        owner=np.r_[owner, np.full(n_kiosk, -1)],
        profile=profile,
        device_type=world.profile_type[profile],
        city=city,
        locale=pa.concat_arrays([lookup(geo.locales, locale_code), pa.array(world.kiosk_locale)]),
        ip=pa.concat_arrays([ip, pa.array(world.kiosk_ip)]),
        anonymous_id=pa.concat_arrays(
            [random_uuids(rng, chunk, STREAM_DEVICES, n_own), pa.array(world.kiosk_anonymous_id)]
        ),
        skew_us=np.r_[rng.normal(0, 1_500_000, n_own).astype(np.int64), np.zeros(n_kiosk, int)],
        is_kiosk=np.arange(n_own + n_kiosk) >= n_own,
        is_shared=is_shared,
    )
    return devices, usage
